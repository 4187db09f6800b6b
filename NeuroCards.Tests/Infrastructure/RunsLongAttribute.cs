namespace NeuroCards.Tests.Infrastructure;

/// <summary>A test class that takes about this many seconds on the CI machine: started before the short ones (<see cref="LongestFirst"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RunsLongAttribute(int seconds) : Attribute
{
    public int Seconds { get; } = seconds;
}
