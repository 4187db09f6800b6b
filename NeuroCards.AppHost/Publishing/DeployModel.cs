namespace NeuroCards.AppHost.Publishing;

/// <summary>A service as the publish targets see it, read from the Aspire app model (never declared a second time).</summary>
public sealed record DeployService(string Name, string Project, int Replicas, bool External, IReadOnlyDictionary<string, object> Environment, IReadOnlyList<string> DependsOn);

/// <summary>A container the app model declares for publishing (PostgreSQL).</summary>
public sealed record DeployContainer(string Name, string Image, IReadOnlyDictionary<string, object> Environment, IReadOnlyList<(string Source, string Target)> Volumes, int Port);

/// <summary>The services, containers and parameters of the app model in publish mode.</summary>
public sealed record DeployModel(IReadOnlyList<DeployContainer> Containers, IReadOnlyList<DeployService> Services, IReadOnlyList<ParameterResource> Parameters)
{
    /// <summary>Variables Aspire sets for its own orchestrators; the publish targets set listening addresses themselves.</summary>
    private static readonly string[] HostingVariables = ["ASPNETCORE_URLS", "HTTP_PORTS", "HTTPS_PORTS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_FORWARDEDHEADERS_ENABLED"];

    public static async Task<DeployModel> ReadAsync(DistributedApplicationModel model, DistributedApplicationExecutionContext context, CancellationToken cancellationToken)
    {
        // WithReference also hands each service the parts of a connection string (NEUROCARDS_HOST, …); ours read the whole string.
        var connectionParts = model.Resources.OfType<IResourceWithConnectionString>().Select(r => r.Name.ToUpperInvariant().Replace('-', '_') + "_").ToList();
        var containers = new List<DeployContainer>();
        foreach (var container in model.Resources.OfType<ContainerResource>())
        {
            var image = container.Annotations.OfType<ContainerImageAnnotation>().Single();
            var volumes = container.Annotations.OfType<ContainerMountAnnotation>().Select(m => (m.Source ?? container.Name + "-data", m.Target)).ToList();
            var port = container.Annotations.OfType<EndpointAnnotation>().First().TargetPort ?? 0;
            var name = $"{(image.Registry is null ? "" : image.Registry + "/")}{image.Image}:{image.Tag}";
            containers.Add(new DeployContainer(container.Name, name, await EnvironmentAsync(container, context, connectionParts, cancellationToken), volumes, port));
        }

        var services = new List<DeployService>();
        foreach (var project in model.Resources.OfType<ProjectResource>())
        {
            var environment = await EnvironmentAsync(project, context, connectionParts, cancellationToken);
            var dependsOn = project.Annotations.OfType<WaitAnnotation>()
                .Select(w => w.Resource is IResourceWithParent child ? child.Parent.Name : w.Resource.Name).Distinct().ToList();
            var external = project.Annotations.OfType<EndpointAnnotation>().Any(e => e.IsExternal);
            services.Add(new DeployService(project.Name, Path.GetFileNameWithoutExtension(project.GetProjectMetadata().ProjectPath),
                project.GetReplicaCount(), external, environment, dependsOn));
        }

        var parameters = containers.SelectMany(c => c.Environment.Values).Concat(services.SelectMany(s => s.Environment.Values))
            .SelectMany(DeployValues.ParametersIn).Distinct().ToList();
        return new DeployModel(containers, services, parameters);
    }

    private static async Task<IReadOnlyDictionary<string, object>> EnvironmentAsync(IResource resource, DistributedApplicationExecutionContext context,
        List<string> connectionParts, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, object>();
        var callbackContext = new EnvironmentCallbackContext(context, resource, variables, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>()) await callback.Callback(callbackContext);
        foreach (var key in HostingVariables) variables.Remove(key);
        foreach (var key in variables.Keys.Where(k => k.StartsWith("OTEL_", StringComparison.Ordinal) || connectionParts.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            variables.Remove(key);
        }
        return variables;
    }
}
