namespace NeuroCards.Core.Hosting;

/// <summary>A tool the code runs is not installed on this machine.</summary>
public sealed class ToolMissingException(string tool, Exception inner)
    : InvalidOperationException($"{tool} is not installed (scripts/setup.sh installs it)", inner)
{
    public string Tool { get; } = tool;
}
