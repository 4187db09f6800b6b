namespace NeuroCards.Worker;

/// <summary>The worker's composition, shared by Program and by tests that host it in-process.</summary>
public static class WorkerApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Hosts (tests) add their configuration first: the registrations below read it.
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddPostgresDataSource("neurocards");
        builder.AddWorkerServices();

        var app = builder.Build();
        // The worker serves only its health endpoints, so orchestrators can watch it.
        app.MapDefaultEndpoints();
        return app;
    }
}
