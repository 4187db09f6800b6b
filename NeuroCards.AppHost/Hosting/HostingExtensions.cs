using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NeuroCards.AppHost.Hosting;

public static class HostingExtensions
{
    /// <summary>Every instance of the service that crashes during a local run is started again (see <see cref="CrashRestarter"/>).</summary>
    public static IResourceBuilder<T> WithRestartOnCrash<T>(this IResourceBuilder<T> resource) where T : IResource
    {
        if (resource.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            resource.ApplicationBuilder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, CrashRestarter>());
        }
        return resource.WithAnnotation(new RestartOnCrashAnnotation());
    }

    /// <summary>
    /// One of our services: an http endpoint (Aspire sets ASPNETCORE_URLS), readiness at /health, and in a local run
    /// the Development environment (detailed health, test payments for admins), which Aspire does not pass on itself.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var service = builder.AddProject<TProject>(name).WithHttpEndpoint().WithHttpHealthCheck("/health");
        if (builder.ExecutionContext.IsRunMode)
        {
            service.WithEnvironment("ASPNETCORE_ENVIRONMENT", "Development").WithEnvironment("DOTNET_ENVIRONMENT", "Development");
        }
        return service;
    }
}
