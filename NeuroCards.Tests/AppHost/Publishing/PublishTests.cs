using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NeuroCards.Tests.AppHost.Publishing;

public sealed partial class PublishTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "nc-publish-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The README's publish commands, run against the built AppHost: Aspire's manifest publisher or one of our steps.</summary>
    private async Task<string> PublishAsync(string target, int workers = 3)
    {
        var output = Path.Combine(_dir, target);
        var how = target == "manifest" ? "--publisher manifest" : $"--operation publish --step {target} --workers {workers}";
        var (code, log) = await RunAsync("dotnet", $"{ServiceProcess.Dll("NeuroCards.AppHost")} {how} --output-path {output}");
        Assert.True(code == 0, log);
        return output;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var result = await Tools.RunAsync(file, args, env);
        return (result.ExitCode, result.Output + result.Error);
    }

    [Fact]
    public async Task Compose_from_the_app_model_runs_postgres_privately_the_bot_and_replicated_workers_with_health_checks_and_no_secrets()
    {
        var output = await PublishAsync("compose", workers: 3);
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(output, "docker-compose.yml")))
        {
            yaml.Load(new MergingParser(new Parser(reader)));
        }
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        YamlMappingNode Service(string name) => (YamlMappingNode)services[name];

        Assert.Equal(["postgres", "bot", "worker"], services.Children.Keys.Select(k => k.ToString()));
        Assert.False(Service("postgres").Children.ContainsKey("ports"));
        Assert.All(new[] { "postgres", "bot", "worker" }, s => Assert.True(Service(s).Children.ContainsKey("healthcheck")));
        Assert.Equal("3", Service("worker")["deploy"]["replicas"].ToString());
        Assert.Equal("127.0.0.1:8080:8080", ((YamlSequenceNode)Service("bot")["ports"]).Children.Single().ToString());
        var botEnv = (YamlMappingNode)Service("bot")["environment"];
        Assert.Equal("${TELEGRAM_MODE:-Webhook}", botEnv["Telegram__Mode"].ToString());
        Assert.Equal("${TELEGRAM_BOTTOKEN}", botEnv["Telegram__BotToken"].ToString());
        Assert.Equal("${PUBLIC_URL:-https://bot.example.com}/telegram/webhook", botEnv["Telegram__WebhookUrl"].ToString());
        Assert.Equal("Host=postgres;Port=5432;Username=postgres;Password=${POSTGRES_PASSWORD};Database=neurocards", botEnv["ConnectionStrings__neurocards"].ToString());
        var workerEnv = (YamlMappingNode)Service("worker")["environment"];
        Assert.Equal("${KIE_APIKEYS}", workerEnv["Kie__ApiKeys"].ToString());
        Assert.False(workerEnv.Children.ContainsKey("Telegram__WebhookSecret")); // each service gets only what it uses

        // Every variable the file uses is in .env.example, secrets left empty.
        var example = await File.ReadAllTextAsync(Path.Combine(output, ".env.example"));
        var compose = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.yml"));
        foreach (var variable in Regex.Matches(compose, @"\$\{([A-Z_]+)").Select(m => m.Groups[1].Value).Distinct())
            Assert.Matches($"(?m)^{variable}=", example);
        Assert.Contains("TELEGRAM_BOTTOKEN=\n", example);
        Assert.Contains("POSTGRES_PASSWORD=\n", example);
        Assert.Contains("TELEGRAM_MODE=Webhook\n", example);
        Assert.True(File.Exists(Path.Combine(output, "Dockerfile")));
        // The images build from the repository (its sources, the .dockerignore), with the Dockerfile published beside the file.
        var build = (YamlMappingNode)Service("bot")["build"];
        var context = Path.GetFullPath(Path.Combine(output, build["context"].ToString()));
        Assert.Equal(ServiceProcess.RepoRoot().TrimEnd('/'), context.TrimEnd('/'));
        Assert.True(File.Exists(Path.Combine(context, build["dockerfile"].ToString())));
        Assert.True(File.Exists(Path.Combine(context, ".dockerignore")));
        Assert.True(File.Exists(Path.Combine(context, "NeuroCards.Worker", "NeuroCards.Worker.csproj")));

        // Workers on another host: the worker alone, on the main database over TLS, with a direct connection for LISTEN.
        var workersYaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(output, "docker-compose.workers.yml")))
        {
            workersYaml.Load(new MergingParser(new Parser(reader)));
        }
        var remote = (YamlMappingNode)((YamlMappingNode)workersYaml.Documents[0].RootNode)["services"];
        Assert.Equal(["worker"], remote.Children.Keys.Select(k => k.ToString()));
        var remoteEnv = (YamlMappingNode)remote["worker"]["environment"];
        Assert.Equal("${NEUROCARDS_DB}", remoteEnv["ConnectionStrings__neurocards"].ToString());
        Assert.Equal("${NEUROCARDS_DB_DIRECT:-}", remoteEnv["ConnectionStrings__neurocards-direct"].ToString());
        Assert.Equal("${KIE_APIKEYS}", remoteEnv["Kie__ApiKeys"].ToString());
        Assert.Equal("3", remote["worker"]["deploy"]["replicas"].ToString());
        var workers = await File.ReadAllTextAsync(Path.Combine(output, "docker-compose.workers.yml"));
        foreach (var variable in Regex.Matches(workers, @"\$\{([A-Z_]+)").Select(m => m.Groups[1].Value).Distinct().Where(v => !v.StartsWith("NEUROCARDS_DB")))
            Assert.Matches($"(?m)^{variable}=", example);
    }

    [Fact]
    public async Task Aspires_manifest_has_postgres_as_a_container_secrets_as_parameters_no_local_stand_ins_and_every_expression_points_at_something_real()
    {
        var output = await PublishAsync("manifest");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "aspire-manifest.json")))!;
        var resources = manifest["resources"]!.AsObject();

        Assert.All(resources, r => Assert.Contains(r.Value!["type"]!.GetValue<string>(), new[] { "project.v0", "container.v0", "parameter.v0", "value.v0", "annotated.string" }));
        Assert.Equal("container.v0", resources["postgres"]!["type"]!.GetValue<string>());
        Assert.EndsWith("postgres:15", resources["postgres"]!["image"]!.GetValue<string>());
        foreach (var local in new[] { "postgres-init", "blobs", "telegram" }) Assert.Null(resources[local]);
        Assert.Equal("{kie-apikeys.value}", resources["worker"]!["env"]!["Kie__ApiKeys"]!.GetValue<string>());
        Assert.Equal("Webhook", resources["telegram-mode"]!["inputs"]!["value"]!["default"]!["value"]!.GetValue<string>());
        Assert.Equal("project.v0", resources["bot"]!["type"]!.GetValue<string>());
        Assert.Equal("{postgres.connectionString};Database=neurocards", resources["neurocards"]!["connectionString"]!.GetValue<string>());
        Assert.Equal("{telegram-bottoken.value}", resources["bot"]!["env"]!["Telegram__BotToken"]!.GetValue<string>());
        Assert.True(resources["telegram-bottoken"]!["inputs"]!["value"]!["secret"]!.GetValue<bool>());
        var expressions = ExpressionPattern().Matches(manifest.ToJsonString()).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(expressions);
        foreach (var expression in expressions)
        {
            var parts = expression.Split('.');
            var resource = resources[parts[0]];
            Assert.True(resource is not null, $"{{{expression}}} names no resource");
            Assert.Contains(parts[1], new[] { "connectionString", "value", "inputs", "bindings" });
            if (parts[1] == "bindings") Assert.NotNull(resource!["bindings"]![parts[2]]);
        }
    }

    [GeneratedRegex(@"\{([a-z0-9-]+\.[a-zA-Z.]+)\}")]
    private static partial Regex ExpressionPattern();

    [Fact]
    public async Task The_systemd_units_are_hardened_and_the_nginx_site_passes_nginx_t()
    {
        var output = await PublishAsync("systemd");
        foreach (var unit in new[] { "neurocards-bot.service", "neurocards-worker@.service" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(output, unit));
            foreach (var line in new[] { "[Service]", "User=neurocards", "NoNewPrivileges=yes", "ProtectSystem=strict", "Restart=always",
                         "TimeoutStopSec=60", "EnvironmentFile=/etc/neurocards/neurocards.env", "[Install]" })
            {
                Assert.Contains(line, text);
            }
        }

        Assert.SkipUnless(File.Exists("/usr/bin/systemd-analyze") && File.Exists("/usr/sbin/nginx") && File.Exists("/usr/bin/openssl"),
            "systemd-analyze, nginx or openssl is missing (scripts/setup.sh installs them)");
        {
            // The template unit is verified as an instance, the way systemd would load it; the release it starts lives
            // only on a server (VpsDeployTests runs them there), so here its path leads to stand-in executables.
            var release = Path.Combine(_dir, "release");
            foreach (var project in new[] { "NeuroCards.Bot", "NeuroCards.Worker" })
            {
                Directory.CreateDirectory(Path.Combine(release, project));
                File.Copy("/bin/true", Path.Combine(release, project, project));
            }
            var units = Path.Combine(_dir, "units");
            Directory.CreateDirectory(units);
            foreach (var (from, to) in new[] { ("neurocards-bot.service", "neurocards-bot.service"), ("neurocards-worker@.service", "neurocards-worker@1.service") })
            {
                await File.WriteAllTextAsync(Path.Combine(units, to), (await File.ReadAllTextAsync(Path.Combine(output, from))).Replace("/opt/neurocards/current", release));
            }
            foreach (var unit in new[] { "neurocards-bot.service", "neurocards-worker@1.service" })
            {
                var verify = await RunAsync("systemd-analyze", $"verify {Path.Combine(units, unit)}");
                Assert.True(verify.Code == 0, verify.Output);
            }
        }

        var nginx = Path.Combine(_dir, "nginx");
        Directory.CreateDirectory(Path.Combine(nginx, "logs"));
        // The two sites as install.sh fills them in (the TLS one on 8443, as on a server without a domain).
        var sites = new[] { "nginx-neurocards-http.conf", "nginx-neurocards.conf" }.Select(f => File.ReadAllText(Path.Combine(output, f))
            .Replace("__NAME__", "203.0.113.5").Replace("__TLS_PORT__", "8443").Replace("__HTTPS__", "https://203.0.113.5:8443")
            .Replace("__CERT__", Path.Combine(nginx, "cert.pem")).Replace("__KEY__", Path.Combine(nginx, "key.pem")));
        Assert.DoesNotContain("__", string.Concat(sites));
        await File.WriteAllTextAsync(Path.Combine(nginx, "site.conf"), string.Join('\n', sites));
        var cert = await RunAsync("openssl", $"req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=203.0.113.5 -keyout {nginx}/key.pem -out {nginx}/cert.pem");
        Assert.Equal(0, cert.Code);
        await File.WriteAllTextAsync(Path.Combine(nginx, "nginx.conf"),
            $"pid {nginx}/nginx.pid; error_log {nginx}/logs/error.log; events {{}} http {{ access_log off; include {nginx}/site.conf; }}");
        var check = await RunAsync("nginx", $"-t -c {nginx}/nginx.conf -p {nginx}");
        Assert.True(check.Code == 0, check.Output);
    }

    [Fact]
    public async Task The_published_deploy_scripts_pass_shellcheck()
    {
        var output = await PublishAsync("systemd");
        var scripts = Directory.GetFiles(output, "*.sh").Select(Path.GetFileName).Order().ToList();

        Assert.Equal(["backup.sh", "common.sh", "cutover.sh", "deploy-workers.sh", "deploy.sh", "install.sh", "restore.sh", "status.sh", "update.sh"], scripts);
        var check = await RunAsync("shellcheck", "--severity=warning --external-sources --source-path=SCRIPTDIR " + string.Join(' ', scripts.Select(s => Path.Combine(output, s!))));
        Assert.True(check.Code == 0, check.Output);
    }

    [Fact]
    public async Task A_relative_output_path_is_the_folder_the_publish_command_was_typed_in()
    {
        // `dotnet run` starts the AppHost in its project folder; the shell's PWD says where the operator is.
        var typedIn = Path.Combine(_dir, "operator");
        Directory.CreateDirectory(typedIn);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var run = await NeuroCards.Core.Hosting.ToolRunner.RunAsync("dotnet",
            ["run", "--project", Path.Combine(ServiceProcess.RepoRoot(), "NeuroCards.AppHost"), "-c", configuration, "--no-build", "--",
             "--operation", "publish", "--step", "systemd", "--output-path", "deploy/vps"],
            TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken, environment: new Dictionary<string, string?> { ["PWD"] = typedIn }, workingDirectory: typedIn);

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.True(File.Exists(Path.Combine(typedIn, "deploy", "vps", "deploy.sh")));
        Assert.False(Directory.Exists(Path.Combine(ServiceProcess.RepoRoot(), "NeuroCards.AppHost", "deploy")));
    }

    [Fact]
    public async Task A_deploy_with_a_placeholder_left_in_the_settings_is_refused_with_the_line_to_fix()
    {
        var output = await PublishAsync("systemd");
        var deploy = Path.Combine(output, "deploy.sh");
        var env = new Dictionary<string, string?> { ["PUBLIC_IP"] = "203.0.113.5" };
        var first = await RunAsync("bash", $"{deploy} root@203.0.113.5", env);
        Assert.Equal(2, first.Code);
        var settings = (await File.ReadAllLinesAsync(Path.Combine(output, "neurocards.env"))).ToList();
        // The bot token filled in; the terms link still the example.
        settings[settings.FindIndex(l => l.StartsWith("Telegram__BotToken=", StringComparison.Ordinal))] = "Telegram__BotToken=123456:ABCdef";
        await File.WriteAllLinesAsync(Path.Combine(output, "neurocards.env"), settings);

        var second = await RunAsync("bash", $"{deploy} root@203.0.113.5", env);

        Assert.Equal(1, second.Code);
        var line = settings.FindIndex(l => l.StartsWith("Bot__TermsUrl=", StringComparison.Ordinal)) + 1;
        Assert.Contains($"line {line}:Bot__TermsUrl=https://example.com/terms", second.Output);
        Assert.DoesNotContain("Telegram__BotToken", second.Output);
        Assert.DoesNotContain("shipping", second.Output); // nothing was built or sent
    }

    [Fact]
    public async Task Workers_on_another_host_reach_the_database_over_TLS_and_refuse_storage_only_one_host_sees()
    {
        var output = await PublishAsync("systemd");
        var script = Path.Combine(output, "deploy-workers.sh");
        var envFile = Path.Combine(_dir, "etc", "neurocards.env");
        // A password may hold characters a shell or sed would take for their own.
        const string db = "Host=db.example.com;Port=5432;Database=neurocards;Username=neurocards;Password=p|a&s$s;SSL Mode=VerifyFull";
        const string direct = "Host=db.example.com;Port=5432;Database=neurocards;Username=neurocards;Password=x;SSL Mode=VerifyFull";

        // No TLS, TLS that trusts anyone, or a direct connection without it: refused, whatever the keyword's spelling.
        foreach (var (main, alsoDirect) in new (string, string?)[]
                 {
                     ("Host=db.example.com;SSL Mode=Disable", null), ("Host=db.example.com;Password=x", null), ("Host=db.example.com;SslMode=Require", null),
                     ("Host=db.example.com;sslmode=prefer", null), (db, "Host=db.example.com;Password=x"),
                 })
        {
            var refused = await RunAsync(script, "", new Dictionary<string, string?> { ["NEUROCARDS_DB"] = main, ["NEUROCARDS_DB_DIRECT"] = alsoDirect, ["ENV_FILE"] = envFile });
            Assert.NotEqual(0, refused.Code);
            Assert.Contains("TLS", refused.Output);
            Assert.False(File.Exists(envFile));
        }
        var spelt = await RunAsync(script, "", new Dictionary<string, string?> { ["NEUROCARDS_DB"] = "Host=db;sslmode = verifyca", ["ENV_FILE"] = envFile + ".ca" });
        Assert.True(spelt.Code == 0, spelt.Output);

        var settings = new Dictionary<string, string?> { ["NEUROCARDS_DB"] = db, ["NEUROCARDS_DB_DIRECT"] = direct, ["ENV_FILE"] = envFile };
        var first = await RunAsync(script, "", settings);
        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("then run this again", first.Output);
        var env = await File.ReadAllLinesAsync(envFile);
        Assert.Equal("ConnectionStrings__neurocards=" + db, Assert.Single(env, l => l.StartsWith("ConnectionStrings__neurocards=")));
        Assert.Equal("ConnectionStrings__neurocards-direct=" + direct, Assert.Single(env, l => l.StartsWith("ConnectionStrings__neurocards-direct=")));
        Assert.Contains(env, l => l.StartsWith("Kie__", StringComparison.Ordinal)); // the rest of the settings, to fill in

        // Media on this host's disk would be out of the bot's reach: the second run stops before installing anything.
        await File.WriteAllLinesAsync(envFile, env.Where(l => !l.StartsWith("Storage__Provider=")).Append("Storage__Provider=Local"));
        var second = await RunAsync(script, "", settings);
        Assert.NotEqual(0, second.Code);
        Assert.Contains("AzureBlob or Supabase", second.Output);
    }

}
