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
}
