using System.Globalization;
using System.Text.RegularExpressions;

namespace NeuroCards.AppHost.Publishing;

/// <summary>
/// Renders the app model's values (literals, parameters, connection strings, endpoints) for a target that names
/// other services by host name: a compose file (<c>${VARIABLE}</c>) or a systemd environment file (defaults inline).
/// </summary>
public sealed partial class DeployValues(Func<ParameterResource, string> parameter, Func<string, string> host)
{
    /// <summary>Compose: parameters are variables from .env; services reach each other by service name.</summary>
    public static DeployValues Compose { get; } = new(p => p.Secret || Default(p) is not { } value ? $"${{{Variable(p)}}}" : $"${{{Variable(p)}:-{value}}}", name => name);

    /// <summary>A VPS: one host, defaults written out (the operator edits the file), secrets left empty.</summary>
    public static DeployValues EnvFile { get; } = new(p => p.Secret ? "" : Default(p) ?? "", _ => "127.0.0.1");

    /// <summary>The shell-style variable an operator sets for a parameter: <c>telegram-bottoken</c> is <c>TELEGRAM_BOTTOKEN</c>.</summary>
    public static string Variable(ParameterResource parameter) => parameter.Name.Replace('-', '_').ToUpperInvariant();

    public static string? Default(ParameterResource parameter) =>
        parameter.Secret || parameter.Default is null or GenerateParameterDefault ? null : parameter.Default.GetDefaultValue();

    public string Render(object? value) => value switch
    {
        null => "",
        string text => text,
        ParameterResource p => parameter(p),
        ConnectionStringReference reference => Render(reference.Resource.ConnectionStringExpression),
        IResourceWithConnectionString resource => Render(resource.ConnectionStringExpression),
        ReferenceExpression expression => Placeholder().Replace(expression.Format, m => Render(expression.ValueProviders[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)])),
        EndpointReference endpoint => $"{endpoint.Scheme}://{host(endpoint.Resource.Name)}:{Port(endpoint)}",
        EndpointReferenceExpression part => part.Property switch
        {
            EndpointProperty.Host or EndpointProperty.IPV4Host => host(part.Endpoint.Resource.Name),
            EndpointProperty.Port or EndpointProperty.TargetPort => Port(part.Endpoint).ToString(CultureInfo.InvariantCulture),
            EndpointProperty.Url => Render(part.Endpoint),
            _ => throw new NotSupportedException($"endpoint property {part.Property} has no deploy value"),
        },
        _ => throw new NotSupportedException($"{value.GetType().Name} has no deploy value"),
    };

    /// <summary>The parameters a value is made of (a connection string holds the database password, say).</summary>
    public static IEnumerable<ParameterResource> ParametersIn(object? value) => value switch
    {
        ParameterResource p => [p],
        ConnectionStringReference reference => ParametersIn(reference.Resource.ConnectionStringExpression),
        IResourceWithConnectionString resource => ParametersIn(resource.ConnectionStringExpression),
        ReferenceExpression expression => expression.ValueProviders.SelectMany(ParametersIn),
        _ => [],
    };

    /// <summary>Services listen on 8080 inside their container or unit; containers on the port they declare.</summary>
    private static int Port(EndpointReference endpoint) => endpoint.Resource is ContainerResource ? endpoint.TargetPort ?? 0 : 8080;

    [GeneratedRegex(@"\{(\d+)(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
