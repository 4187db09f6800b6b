using System.Diagnostics;
using Dapper;
using Npgsql;

namespace NeuroCards.QueueBench;

/// <summary>The ceiling: a queue with no fairness, no cap and no lease, claimed 20 at a time and completed in one statement.</summary>
public sealed class BareLoop(NpgsqlDataSource db)
{
    public async Task<double> RunAsync(int jobs, int workers)
    {
        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                create table if not exists bare_jobs (id bigserial primary key, status text not null default 'queued', payload text);
                create index if not exists bare_jobs_queued_idx on bare_jobs (id) where status = 'queued';
                truncate bare_jobs;
                insert into bare_jobs (payload) select 'job ' || g from generate_series(1, @jobs) g;
                """, new { jobs });
            await conn.ExecuteAsync("vacuum analyze bare_jobs");
        }
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                await using var conn = await db.OpenConnectionAsync();
                var ids = (await conn.QueryAsync<long>("""
                    update bare_jobs set status = 'running'
                    where id in (select id from bare_jobs where status = 'queued' order by id limit 20 for update skip locked)
                    returning id
                    """)).ToArray();
                if (ids.Length == 0) return;
                await conn.ExecuteAsync("update bare_jobs set status = 'done' where id = any(@ids)", new { ids });
                Interlocked.Add(ref done, ids.Length);
            }
        })));
        return done / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
