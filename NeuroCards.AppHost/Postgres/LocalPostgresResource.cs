namespace NeuroCards.AppHost.Postgres;

/// <summary>
/// The machine's own PostgreSQL (initdb/postgres) as an Aspire executable resource, for runs without a
/// container engine. Its data is kept between runs; publishing uses Aspire's postgres container instead.
/// </summary>
public sealed class LocalPostgresResource(string name, string workingDirectory)
    : ExecutableResource(name, "bash", workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres");
}
