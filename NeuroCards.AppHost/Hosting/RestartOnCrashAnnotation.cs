namespace NeuroCards.AppHost.Hosting;

/// <summary>Marks a resource whose instances are started again when they die (a non-zero exit) during a local run.</summary>
public sealed class RestartOnCrashAnnotation : IResourceAnnotation;
