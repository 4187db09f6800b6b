using System.Text;

namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// docker-compose.yml, a Dockerfile and .env.example from the app model: its containers (PostgreSQL, with a volume
/// and no published port), its services with their replicas and settings, and only the external endpoint bound,
/// on 127.0.0.1 for a TLS proxy in front.
/// </summary>
public static class ComposeFiles
{
    public static Dictionary<string, string> Build(DeployModel model)
    {
        var values = DeployValues.Compose;
        var yaml = new StringBuilder();
        yaml.AppendLine("# NeuroCards, generated from the Aspire app model (NeuroCards.AppHost). Secrets and settings come from .env.");
        yaml.AppendLine("name: neurocards");
        yaml.AppendLine();
        yaml.AppendLine("services:");
        foreach (var container in model.Containers)
        {
            yaml.AppendLine($"  {container.Name}:");
            yaml.AppendLine($"    image: {container.Image}");
            yaml.AppendLine("    restart: unless-stopped");
            Environment(yaml, container.Environment, values);
            yaml.AppendLine("    volumes:");
            foreach (var (source, target) in container.Volumes) yaml.AppendLine($"      - {source}:{target}");
            yaml.AppendLine("    healthcheck:");
            yaml.AppendLine("      test: [\"CMD-SHELL\", \"pg_isready -U postgres\"]");
            yaml.AppendLine("      interval: 5s");
            yaml.AppendLine("      timeout: 5s");
            yaml.AppendLine("      retries: 10");
        }
        foreach (var service in model.Services)
        {
            Build(yaml, service);
            var environment = new Dictionary<string, object>(service.Environment) { ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080" };
            Environment(yaml, environment, values);
            yaml.AppendLine("    volumes:");
            yaml.AppendLine("      - media:/var/lib/neurocards/media");
            if (service.DependsOn.Count > 0)
            {
                yaml.AppendLine("    depends_on:");
                foreach (var dependency in service.DependsOn)
                {
                    yaml.AppendLine($"      {dependency}:");
                    yaml.AppendLine("        condition: service_healthy");
                }
            }
            if (service.External)
            {
                yaml.AppendLine("    ports:");
                yaml.AppendLine("      - \"127.0.0.1:8080:8080\"");
            }
            if (service.Replicas > 1)
            {
                // Workers release their leases on SIGTERM; give them time.
                yaml.AppendLine("    stop_grace_period: 45s");
                yaml.AppendLine("    deploy:");
                yaml.AppendLine($"      replicas: {service.Replicas}");
            }
            HealthCheck(yaml);
        }
        yaml.AppendLine();
        yaml.AppendLine("volumes:");
        foreach (var volume in model.Containers.SelectMany(c => c.Volumes).Select(v => v.Source).Append("media").Distinct()) yaml.AppendLine($"  {volume}:");

        return new()
        {
            ["docker-compose.yml"] = yaml.ToString(),
            ["docker-compose.workers.yml"] = WorkersOnly(model),
            ["Dockerfile"] = Dockerfile,
            [".env.example"] = EnvExample(model),
        };
    }

    /// <summary>
    /// Workers on another host: the worker service alone, the database the main host's (or Supabase's) reached over TLS
    /// (<c>NEUROCARDS_DB</c>), with a direct or session-mode connection for LISTEN when that one is a transaction pooler
    /// (<c>NEUROCARDS_DB_DIRECT</c>). Every other setting as on the main host, from this host's .env.
    /// </summary>
    public static string WorkersOnly(DeployModel model)
    {
        var values = DeployValues.Compose;
        var yaml = new StringBuilder();
        yaml.AppendLine("# NeuroCards workers on another host: docker compose -f docker-compose.workers.yml --env-file .env up -d");
        yaml.AppendLine("# .env: the variables of .env.example a worker uses, plus NEUROCARDS_DB (e.g. Host=db.example.com;Port=5432;Database=neurocards;");
        yaml.AppendLine("# Username=neurocards;Password=…;SSL Mode=VerifyFull) and, behind a transaction pooler, NEUROCARDS_DB_DIRECT.");
        yaml.AppendLine("name: neurocards-workers");
        yaml.AppendLine();
        yaml.AppendLine("services:");
        foreach (var service in model.Services.Where(s => s.Name.StartsWith("worker", StringComparison.Ordinal)))
        {
            Build(yaml, service);
            var environment = new Dictionary<string, object>(service.Environment)
            {
                ["ASPNETCORE_URLS"] = "http://0.0.0.0:8080",
                ["ConnectionStrings__neurocards"] = "${NEUROCARDS_DB}",
                ["ConnectionStrings__neurocards-direct"] = "${NEUROCARDS_DB_DIRECT:-}",
            };
            Environment(yaml, environment, values);
            yaml.AppendLine("    volumes:");
            yaml.AppendLine("      - media:/var/lib/neurocards/media");
            yaml.AppendLine("    stop_grace_period: 45s");
            yaml.AppendLine("    deploy:");
            yaml.AppendLine($"      replicas: {Math.Max(1, service.Replicas)}");
            HealthCheck(yaml);
        }
        yaml.AppendLine();
        yaml.AppendLine("volumes:");
        yaml.AppendLine("  media:");
        return yaml.ToString();
    }

    /// <summary>A service built from this repository's Dockerfile for its project, restarted unless stopped.</summary>
    private static void Build(StringBuilder yaml, DeployService service)
    {
        yaml.AppendLine($"  {service.Name}:");
        yaml.AppendLine("    build:");
        yaml.AppendLine("      context: .");
        yaml.AppendLine("      dockerfile: Dockerfile");
        yaml.AppendLine("      args:");
        yaml.AppendLine($"        PROJECT: {service.Project}");
        yaml.AppendLine("    restart: unless-stopped");
    }

    private static void HealthCheck(StringBuilder yaml)
    {
        yaml.AppendLine("    healthcheck:");
        yaml.AppendLine("      test: [\"CMD\", \"curl\", \"-fsS\", \"http://localhost:8080/health\"]");
        yaml.AppendLine("      interval: 10s");
        yaml.AppendLine("      timeout: 5s");
        yaml.AppendLine("      retries: 6");
    }

    private static void Environment(StringBuilder yaml, IReadOnlyDictionary<string, object> environment, DeployValues values)
    {
        if (environment.Count == 0) return;
        yaml.AppendLine("    environment:");
        foreach (var (key, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            yaml.AppendLine($"      {key}: \"{values.Render(value).Replace("\"", "\\\"")}\"");
        }
    }

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

    private const string Dockerfile = """
        # One image per service: docker build --build-arg PROJECT=NeuroCards.Bot|NeuroCards.Worker .
        FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
        ARG PROJECT
        WORKDIR /src
        COPY . .
        RUN dotnet publish ${PROJECT}/${PROJECT}.csproj -c Release -o /app

        FROM mcr.microsoft.com/dotnet/aspnet:10.0
        ARG PROJECT
        RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core curl && rm -rf /var/lib/apt/lists/*
        WORKDIR /app
        COPY --from=build /app .
        RUN useradd --system --uid 10001 neurocards && mkdir -p /var/lib/neurocards/media && chown neurocards /var/lib/neurocards/media
        USER neurocards
        ENV PROJECT_DLL=${PROJECT}.dll
        ENTRYPOINT ["sh", "-c", "exec dotnet $PROJECT_DLL"]

        """;
}
