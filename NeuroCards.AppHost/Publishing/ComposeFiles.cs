using System.Text;
using YamlDotNet.Serialization;

namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// docker-compose.yml, a Dockerfile and .env.example from the app model: its containers (PostgreSQL, with a volume
/// and no published port), its services with their replicas and settings, and only the external endpoint bound,
/// on 127.0.0.1 for a TLS proxy in front.
/// </summary>
public static class ComposeFiles
{
    // Strings that YAML would read as something else (true, 5432, null) are quoted; everything else stays plain.
    private static readonly ISerializer Yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build();

    /// <param name="output">The folder the files are written to.</param>
    /// <param name="repository">The repository's folder: the images' build context, named relative to the compose file.</param>
    public static Dictionary<string, string> Build(DeployModel model, string output, string repository)
    {
        // Compose reads the Dockerfile relative to the context; it lies beside the compose file.
        var build = new BuildContext(Path.GetRelativePath(output, repository), Path.GetRelativePath(repository, Path.Combine(output, "Dockerfile")));
        var services = new Dictionary<string, object>();
        foreach (var container in model.Containers)
        {
            services[container.Name] = new Dictionary<string, object>
            {
                ["image"] = container.Image,
                ["restart"] = "unless-stopped",
                ["environment"] = Environment(container.Environment),
                ["volumes"] = container.Volumes.Select(v => $"{v.Source}:{v.Target}").ToList(),
                ["healthcheck"] = HealthCheck(["CMD-SHELL", "pg_isready -U postgres"], interval: "5s", retries: 10),
            };
        }
        foreach (var service in model.Services)
        {
            var definition = Service(service, build, new Dictionary<string, object>(service.Environment) { ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080" });
            if (service.DependsOn.Count > 0)
                definition["depends_on"] = service.DependsOn.ToDictionary(d => d, _ => new Dictionary<string, string> { ["condition"] = "service_healthy" });
            if (service.External) definition["ports"] = new[] { "127.0.0.1:8080:8080" };
            if (service.Replicas > 1)
            {
                // Workers release their leases on SIGTERM; give them time.
                definition["stop_grace_period"] = "45s";
                definition["deploy"] = new Dictionary<string, int> { ["replicas"] = service.Replicas };
            }
            definition["healthcheck"] = ServiceHealthCheck;
            services[service.Name] = definition;
        }
        var volumes = model.Containers.SelectMany(c => c.Volumes).Select(v => v.Source).Append("media").Distinct().ToDictionary(v => v, _ => new Dictionary<string, object>());
        var compose = new Dictionary<string, object> { ["name"] = "neurocards", ["services"] = services, ["volumes"] = volumes };

        return new()
        {
            ["docker-compose.yml"] = "# NeuroCards, generated from the Aspire app model (NeuroCards.AppHost). Secrets and settings come from .env.\n"
                                     + Yaml.Serialize(compose),
            ["docker-compose.workers.yml"] = WorkersOnly(model, build),
            ["Dockerfile"] = SystemdFiles.Template("Dockerfile"),
            [".env.example"] = EnvExample(model),
        };
    }

    /// <summary>
    /// Workers on another host: the worker service alone, the database the main host's (or Supabase's) reached over TLS
    /// (<c>NEUROCARDS_DB</c>), with a direct or session-mode connection for LISTEN when that one is a transaction pooler
    /// (<c>NEUROCARDS_DB_DIRECT</c>). Every other setting as on the main host, from this host's .env.
    /// </summary>
    private static string WorkersOnly(DeployModel model, BuildContext build)
    {
        var services = new Dictionary<string, object>();
        foreach (var service in model.Services.Where(s => s.Name.StartsWith("worker", StringComparison.Ordinal)))
        {
            var definition = Service(service, build, new Dictionary<string, object>(service.Environment)
            {
                ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080",
                ["ConnectionStrings__neurocards"] = "${NEUROCARDS_DB}",
                ["ConnectionStrings__neurocards-direct"] = "${NEUROCARDS_DB_DIRECT:-}",
            });
            definition["stop_grace_period"] = "45s";
            definition["deploy"] = new Dictionary<string, int> { ["replicas"] = Math.Max(1, service.Replicas) };
            definition["healthcheck"] = ServiceHealthCheck;
            services[service.Name] = definition;
        }
        var compose = new Dictionary<string, object>
        {
            ["name"] = "neurocards-workers",
            ["services"] = services,
            ["volumes"] = new Dictionary<string, object> { ["media"] = new Dictionary<string, object>() },
        };
        return """
            # NeuroCards workers on another host: docker compose -f docker-compose.workers.yml --env-file .env up -d
            # .env: the variables of .env.example a worker uses, plus NEUROCARDS_DB (e.g. Host=db.example.com;Port=5432;Database=neurocards;
            # Username=neurocards;Password=…;SSL Mode=VerifyFull) and, behind a transaction pooler, NEUROCARDS_DB_DIRECT.

            """ + Yaml.Serialize(compose);
    }

    private sealed record BuildContext(string Context, string Dockerfile);

    /// <summary>A service built from this repository with the Dockerfile for its project, restarted unless stopped.</summary>
    private static Dictionary<string, object> Service(DeployService service, BuildContext build, IReadOnlyDictionary<string, object> environment) => new()
    {
        ["build"] = new Dictionary<string, object>
        {
            ["context"] = build.Context.Replace('\\', '/'),
            ["dockerfile"] = build.Dockerfile.Replace('\\', '/'),
            ["args"] = new Dictionary<string, string> { ["PROJECT"] = service.Project },
        },
        ["restart"] = "unless-stopped",
        ["environment"] = Environment(environment),
        ["volumes"] = new[] { "media:/var/lib/neurocards/media" },
    };

    private static readonly Dictionary<string, object> ServiceHealthCheck =
        HealthCheck(["CMD", "curl", "-fsS", "http://localhost:8080/health"], interval: "10s", retries: 6);

    private static Dictionary<string, object> HealthCheck(string[] test, string interval, int retries) => new()
    {
        ["test"] = test,
        ["interval"] = interval,
        ["timeout"] = "5s",
        ["retries"] = retries,
    };

    private static SortedDictionary<string, string> Environment(IReadOnlyDictionary<string, object> environment) =>
        new(environment.ToDictionary(e => e.Key, e => DeployValues.Compose.Render(e.Value)), StringComparer.Ordinal);

    /// <summary>Every parameter of the model, secrets empty: copy to .env and fill in; never commit the filled file.</summary>
    public static string EnvExample(DeployModel model)
    {
        var text = new StringBuilder("# NeuroCards configuration: copy to .env and fill in. Never commit the filled file.\n");
        foreach (var parameter in model.Parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!string.IsNullOrEmpty(parameter.Description)) text.Append("# ").AppendLine(parameter.Description);
            text.Append(DeployValues.Variable(parameter)).Append('=').AppendLine(DeployValues.Default(parameter) ?? "");
        }
        return text.ToString();
    }
}
