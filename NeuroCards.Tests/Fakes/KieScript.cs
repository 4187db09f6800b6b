namespace NeuroCards.Tests.Fakes;

/// <summary>What KIE does with one created task.</summary>
public sealed record KieScript
{
    public int CreateCode { get; init; } = 200;
    public string CreateMsg { get; init; } = "scripted failure";
    public int? CreateHttpStatus { get; init; }
    public Dictionary<string, int>? CreateCodeForKey { get; init; }
    public int CreateDelayMs { get; init; }
    public int RenderMs { get; init; } = 200;
    public int PollsBeforeDone { get; init; }
    public string Outcome { get; init; } = "success";
    public string FailCode { get; init; } = "";
    public string FailMsg { get; init; } = "";
    public bool MalformedStatus { get; init; }
    /// <summary>How many callbacks KIE sends when the task ends: 0 = lost, 2 = repeated.</summary>
    public int Callbacks { get; init; } = 1;
    public bool FetchImage { get; init; } = true;
    public string? ResultFile { get; init; }
    /// <summary>The result download sends its headers and a first chunk, then stalls.</summary>
    public bool StallResult { get; init; }
}
