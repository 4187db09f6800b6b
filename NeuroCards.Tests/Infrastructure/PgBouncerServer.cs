using System.Diagnostics;
using NeuroCards.Core.Hosting;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>
/// PgBouncer in transaction mode in front of the test cluster, as Supabase's pooler runs (port 6543): no session state
/// across transactions, so no LISTEN, no session advisory locks, no prepared statements. One per test run, from the
/// machine's pgbouncer (Debian's package; scripts/setup.sh installs it), run as 'postgres' when the tests run as root.
/// </summary>
public static class PgBouncerServer
{
    /// <summary>Server connections per database and user, as small as a Supabase project's pool.</summary>
    public const int PoolSize = 20;

    private static readonly Lazy<Task<int>> Port = new(StartAsync);
    private static Process? _process;
    private static string? _dir;

    /// <summary>Stops the pooler (if this run started one) once every test has run (<see cref="TestServers"/>).</summary>
    public static async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync();
        }
        try { if (_dir is not null) Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>The connection string of <paramref name="database"/> through the pooler, with what Npgsql needs there.</summary>
    public static async Task<string> ConnectionStringAsync(string database) =>
        $"Host=127.0.0.1;Port={await Port.Value};Username=postgres;Database={database};Include Error Detail=true;No Reset On Close=true";

    private static async Task<int> StartAsync()
    {
        var postgresPort = await PostgresServer.PortAsync();
        var port = PostgresCluster.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), $"nc-test-pgbouncer-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "users.txt"), "\"postgres\" \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "pgbouncer.ini"), $"""
            [databases]
            * = host=127.0.0.1 port={postgresPort}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {dir}/users.txt
            pool_mode = transaction
            default_pool_size = {PoolSize}
            max_client_conn = 5000
            max_db_connections = 0
            ignore_startup_parameters = extra_float_digits,options,search_path
            server_reset_query =
            logfile = {dir}/pgbouncer.log
            pidfile = {dir}/pgbouncer.pid
            """);
        if (PostgresCluster.IsRoot)
        {
            await ToolRunner.RunAsync("chown", ["-R", "postgres:postgres", dir], TimeSpan.FromSeconds(30), CancellationToken.None);
        }
        var binary = File.Exists("/usr/sbin/pgbouncer") ? "/usr/sbin/pgbouncer" : "pgbouncer";
        Process process;
        try
        {
            process = Process.Start(PostgresCluster.StartInfo(binary, [Path.Combine(dir, "pgbouncer.ini")], asPostgres: true))
                      ?? throw new InvalidOperationException("pgbouncer did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("PgBouncer is not installed: run 'bash scripts/setup.sh'.", e);
        }
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        _process = process;
        _dir = dir;
        // Ready when it accepts a query.
        for (var i = 0; ; i++)
        {
            try
            {
                await using var conn = new Npgsql.NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;No Reset On Close=true");
                await conn.OpenAsync();
                return port;
            }
            catch (Exception) when (i < 100 && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }
}
