using NeuroCards.Tests.Fakes;

namespace NeuroCards.Chaos;

/// <summary>The mix of what KIE does with a createTask, drawn from a seeded random so a run can be repeated.</summary>
public sealed class KieOutcomes(int seed)
{
    private readonly Random _random = new(seed);

    public KieScript Next()
    {
        double roll;
        int ms;
        lock (_random)
        {
            roll = _random.NextDouble();
            ms = _random.Next(200, 6000);
        }
        return roll switch
        {
            < 0.45 => new KieScript { RenderMs = ms },
            < 0.55 => new KieScript { RenderMs = ms, Callbacks = 0 },                      // callback lost: polling finds it
            < 0.60 => new KieScript { RenderMs = ms, Callbacks = 2 },                      // callback repeated
            < 0.68 => new KieScript { Outcome = "fail", FailCode = "400", FailMsg = "content policy violation: real person in the image" },
            < 0.76 => new KieScript { Outcome = "fail", FailCode = "500", FailMsg = "internal error, please try again" },
            < 0.82 => new KieScript { CreateHttpStatus = 502 },                            // 5xx on create
            < 0.88 => new KieScript { CreateCode = 429 },                                  // rate limited
            < 0.91 => new KieScript { CreateCode = 455 },                                  // maintenance
            < 0.94 => new KieScript { RenderMs = 600_000, Callbacks = 0 },                 // never finishes: the deadline
            _ => new KieScript { RenderMs = ms, PollsBeforeDone = 3, Callbacks = 0 },      // slow, polled
        };
    }
}
