namespace NeuroCards.Core.Queue;

/// <summary>
/// The statement behind <see cref="JobQueue.ClaimAsync"/>, kept apart so the queue reads as its operations and the
/// benchmark can show its plan (EXPLAIN ANALYZE) with the same text.
/// </summary>
public static class ClaimStatements
{
    /// <summary>
    /// One statement, so a claim is one round trip and its own transaction.
    /// <list type="number">
    /// <item>Jobs whose worker lost its lease, first: they already count under their user's cap.</item>
    /// <item>The users whose turn it is (queue_users: least recently served first, then the one waiting longest), locked
    /// with SKIP LOCKED so concurrent claimers serve different users and the cap holds without a global lock.</item>
    /// <item>Each such user's oldest due jobs through the index on that user's queue, locked with SKIP LOCKED too: the
    /// pick reads the statement's snapshot, and a job another claimer took since may be held by its worker finishing it
    /// (who waits for this user's row), so waiting for it would deadlock.</item>
    /// </list>
    /// The claimable conditions stand twice, in the pick and on the row being updated: under READ COMMITTED a row that
    /// changed after the snapshot (a job just delivered) is re-checked against the outer WHERE only.
    /// </summary>
    public const string Claim = """
        with takeover as (
            update jobs j
            set lease_owner = @workerId, lease_token = gen_random_uuid(), locked_until = now() + @lease,
                takeovers = j.takeovers + 1, updated_at = now()
            where j.id in (
                select c.id from jobs c
                where c.status = 'running' and c.locked_until < now()
                order by c.locked_until
                limit @max
                for update skip locked)
              and j.status = 'running' and j.locked_until < now()
            returning j.*
        ),
        turn as (
            select u.user_id, u.running, u.served_at, u.next_due
            from queue_users u
            where u.next_due is not null and u.next_due <= now() and u.running < @perUserCap
            order by u.served_at nulls first, u.next_due, u.user_id
            limit greatest(@max - (select count(*) from takeover), 0)
            for update skip locked
        ),
        picked as (
            select c.id
            from (
                select q.id, t.served_at, t.next_due, t.user_id,
                       row_number() over (partition by t.user_id order by q.created_at, q.index) as rn
                from turn t
                cross join lateral (
                    select q.id, q.created_at, q.index
                    from jobs q
                    where q.user_id = t.user_id and q.status = 'queued' and q.not_before <= now()
                    order by q.created_at, q.index
                    -- no more than the cap allows, nor than the batch can take from this user when each user gets one first
                    limit least(@perUserCap - t.running, @max - (select count(*) from turn) + 1)
                    for update skip locked
                ) q
            ) c
            order by c.rn, c.served_at nulls first, c.next_due, c.user_id
            limit greatest(@max - (select count(*) from takeover), 0)
        ),
        fresh as (
            update jobs j
            set status = 'running', lease_owner = @workerId, lease_token = gen_random_uuid(), locked_until = now() + @lease,
                updated_at = now()
            from picked p
            where j.id = p.id and j.status = 'queued' and j.not_before <= now()
            returning j.*
        )
        select * from takeover
        union all
        select * from fresh
        """;
}
