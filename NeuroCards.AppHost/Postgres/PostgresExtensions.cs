namespace NeuroCards.AppHost.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// The <paramref name="database"/> on <paramref name="server"/>: the machine's own cluster under the state folder
    /// in a local run (no container engine needed), Aspire's postgres:15 container with a data volume when published.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddNeuroCardsPostgres(this IDistributedApplicationBuilder builder,
        string server, string database, string dataDirectory)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddPostgres(server).WithImageTag("15").WithDataVolume("neurocards-pgdata").AddDatabase(database);
        }
        return builder.AddLocalPostgres(server, dataDirectory).AddDatabase(database);
    }
}
