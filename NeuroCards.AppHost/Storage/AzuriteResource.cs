namespace NeuroCards.AppHost.Storage;

/// <summary>Azurite (the Azure Storage emulator, from npm) as an executable resource: the blob service only.</summary>
public sealed class AzuriteResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "blob";
    private const string AccountName = "devstoreaccount1";
    // Azurite's well-known development key: public, documented, valid only against the emulator.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={Endpoint.Property(EndpointProperty.Url)}/{AccountName};");
}
