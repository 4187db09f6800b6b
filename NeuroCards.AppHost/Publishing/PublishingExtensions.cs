using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NeuroCards.AppHost.Publishing;

public static class PublishingExtensions
{
    /// <summary>
    /// Two publish steps beside Aspire's manifest: <c>--operation publish --step compose|systemd --output-path DIR</c>.
    /// Both render the model this AppHost declares (resources, references, replicas, parameters).
    /// </summary>
    public static IDistributedApplicationBuilder AddDeployTargets(this IDistributedApplicationBuilder builder)
    {
        // The images build from the repository: the AppHost's folder is in it.
        var repository = Path.GetDirectoryName(builder.AppHostDirectory.TrimEnd(Path.DirectorySeparatorChar))!;
        builder.Pipeline.AddStep("compose", context => WriteAsync(context, (model, output) => ComposeFiles.Build(model, output, repository)));
        builder.Pipeline.AddStep("systemd", context => WriteAsync(context, (model, _) => SystemdFiles.Build(model)));
        return builder;
    }

    private static async Task WriteAsync(PipelineStepContext context, Func<DeployModel, string, Dictionary<string, string>> render)
    {
        var output = context.Services.GetRequiredService<IConfiguration>()["Pipeline:OutputPath"]
                     ?? throw new InvalidOperationException("--output-path is required");
        // `dotnet run --project NeuroCards.AppHost` runs the AppHost in its project folder; a relative path means the folder
        // the command was typed in (the shell's PWD), as in every command-line tool.
        var typedIn = Environment.GetEnvironmentVariable("PWD") is { } pwd && Path.IsPathRooted(pwd) && Directory.Exists(pwd) ? pwd : Environment.CurrentDirectory;
        output = Path.GetFullPath(output, typedIn);
        var model = await DeployModel.ReadAsync(context.Model, context.ExecutionContext, context.CancellationToken);
        Directory.CreateDirectory(output);
        foreach (var (name, content) in render(model, output))
        {
            var path = Path.Combine(output, name);
            await File.WriteAllTextAsync(path, content.Replace("\r\n", "\n"), context.CancellationToken);
            if (name.EndsWith(".sh", StringComparison.Ordinal) && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            context.Logger.LogInformation("wrote {Path}", path);
        }
    }
}
