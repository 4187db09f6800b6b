namespace NeuroCards.Core.Hosting;

/// <summary>How a tool run by <see cref="ToolRunner"/> ended.</summary>
public sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public bool Succeeded => ExitCode == 0;
}
