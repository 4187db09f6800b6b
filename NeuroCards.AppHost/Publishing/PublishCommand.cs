using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeuroCards.AppHost.Publishing;

/// <summary>publish --target compose|manifest|systemd --output DIR [--workers N]: deploy artefacts from one model.</summary>
public static class PublishCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? Value(string flag) => args.SkipWhile(a => a != flag).Skip(1).FirstOrDefault();
        var target = Value("--target");
        var output = Value("--output");
        var workers = int.TryParse(Value("--workers"), out var w) && w > 0 ? w : 2;
        if (target is not ("compose" or "manifest" or "systemd") || string.IsNullOrEmpty(output))
        {
            Console.Error.WriteLine("usage: publish --target compose|manifest|systemd --output DIR [--workers N]");
            return 2;
        }
        Directory.CreateDirectory(output);
        var files = target switch
        {
            "compose" => Compose(workers),
            "manifest" => Manifest(),
            _ => Systemd(workers),
        };
        foreach (var (name, content) in files)
        {
            var path = Path.Combine(output, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content.Replace("\r\n", "\n"));
            if (name.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            Console.WriteLine($"wrote {path}");
        }
        return 0;
    }

    private static string Env(IEnumerable<DeployModel.Setting> settings, string indent) =>
        string.Join("\n", settings.Select(s => $"{indent}{s.Key}: ${{{s.Key}{(s.Secret && s.Default is null ? "" : ":-" + (s.Default ?? ""))}}}"));

    private static string EnvExample() => "# NeuroCards configuration: copy to .env and fill in. Never commit the filled file.\n" +
        "POSTGRES_PASSWORD=\n" + string.Join("\n", DeployModel.All.Select(s =>
            (s.Note is null ? "" : $"# {s.Note}\n") + $"{s.Key}={(s.Secret ? "" : s.Default ?? "")}")) + "\n";

    public static Dictionary<string, string> Compose(int workers)
    {
        var shared = DeployModel.Shared.Where(s => s.Key != "ConnectionStrings__neurocards");
        var compose = $$"""
            # NeuroCards on one host: PostgreSQL (not published), the bot (webhook, behind a TLS proxy on 127.0.0.1:8080)
            # and {{workers}} worker replicas. Secrets come from .env (see .env.example).
            name: neurocards

            x-env: &env
              ConnectionStrings__neurocards: Host=postgres;Database=neurocards;Username=neurocards;Password=${POSTGRES_PASSWORD}
            {{Env(shared, "  ")}}

            x-service: &service
              restart: unless-stopped
              volumes:
                - media:/var/lib/neurocards/media
              depends_on:
                postgres:
                  condition: service_healthy

            services:
              postgres:
                image: postgres:15
                restart: unless-stopped
                environment:
                  POSTGRES_DB: neurocards
                  POSTGRES_USER: neurocards
                  POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
                volumes:
                  - pgdata:/var/lib/postgresql/data
                healthcheck:
                  test: ["CMD-SHELL", "pg_isready -U neurocards -d neurocards"]
                  interval: 5s
                  timeout: 5s
                  retries: 10

              bot:
                <<: *service
                build:
                  context: .
                  dockerfile: Dockerfile
                  args:
                    PROJECT: NeuroCards.Bot
                environment:
                  <<: *env
                  ASPNETCORE_URLS: http://0.0.0.0:8080
            {{Env(DeployModel.Bot, "      ")}}
                ports:
                  - "127.0.0.1:8080:8080"
                healthcheck:
                  test: ["CMD", "curl", "-fsS", "http://localhost:8080/health"]
                  interval: 10s
                  timeout: 5s
                  retries: 6

              worker:
                <<: *service
                build:
                  context: .
                  dockerfile: Dockerfile
                  args:
                    PROJECT: NeuroCards.Worker
                environment:
                  <<: *env
                  ASPNETCORE_URLS: http://0.0.0.0:8081
            {{Env(DeployModel.Worker, "      ")}}
                stop_grace_period: 45s
                deploy:
                  replicas: {{workers}}
                healthcheck:
                  test: ["CMD", "curl", "-fsS", "http://localhost:8081/health"]
                  interval: 10s
                  timeout: 5s
                  retries: 6

            volumes:
              pgdata:
              media:
            """;
        const string dockerfile = """
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
        return new() { ["docker-compose.yml"] = compose + "\n", ["Dockerfile"] = dockerfile + "\n", [".env.example"] = EnvExample() };
    }

    public static Dictionary<string, string> Manifest()
    {
        JsonObject Project(string name, IEnumerable<DeployModel.Setting> settings, bool external)
        {
            var env = new JsonObject
            {
                ["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true",
                ["ConnectionStrings__neurocards"] = "{neurocards.connectionString}",
            };
            foreach (var s in settings.Where(s => s.Key != "ConnectionStrings__neurocards"))
                env[s.Key] = s.Secret ? $"{{{DeployModel.ParameterName(s.Key)}.value}}" : s.Default ?? "";
            return new JsonObject
            {
                ["type"] = "project.v0",
                ["path"] = $"../{name}/{name}.csproj",
                ["env"] = env,
                ["bindings"] = new JsonObject
                {
                    ["http"] = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http", ["external"] = external },
                },
            };
        }

        var resources = new JsonObject
        {
            ["postgres-password"] = Parameter("postgres-password"),
            ["postgres"] = new JsonObject
            {
                ["type"] = "container.v0",
                ["connectionString"] = "Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Username=postgres;Password={postgres-password.value}",
                ["image"] = "docker.io/library/postgres:15",
                ["env"] = new JsonObject { ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256", ["POSTGRES_PASSWORD"] = "{postgres-password.value}" },
                ["volumes"] = new JsonArray(new JsonObject { ["name"] = "neurocards-pgdata", ["target"] = "/var/lib/postgresql/data", ["readOnly"] = false }),
                ["bindings"] = new JsonObject
                {
                    ["tcp"] = new JsonObject { ["scheme"] = "tcp", ["protocol"] = "tcp", ["transport"] = "tcp", ["targetPort"] = 5432 },
                },
            },
            ["neurocards"] = new JsonObject { ["type"] = "value.v0", ["connectionString"] = "{postgres.connectionString};Database=neurocards" },
        };
        foreach (var secret in DeployModel.All.Where(s => s.Secret && s.Key != "ConnectionStrings__neurocards"))
            resources[DeployModel.ParameterName(secret.Key)] = Parameter(DeployModel.ParameterName(secret.Key));
        resources["bot"] = Project("NeuroCards.Bot", DeployModel.Shared.Concat(DeployModel.Bot), external: true);
        resources["worker"] = Project("NeuroCards.Worker", DeployModel.Shared.Concat(DeployModel.Worker), external: false);
        var manifest = new JsonObject { ["$schema"] = "https://json.schemastore.org/aspire-8.0.json", ["resources"] = resources };
        return new() { ["aspire-manifest.json"] = manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n" };

        static JsonObject Parameter(string name) => new()
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{name}.inputs.value}}",
            ["inputs"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "string", ["secret"] = true } },
        };
    }

    public static Dictionary<string, string> Systemd(int workers) => SystemdFiles.Build(workers, EnvExample());
}
