using System.Text;

namespace NeuroCards.Chaos;

/// <summary>What a chaos run did and what it found; every "lost"-kind figure must be 0.</summary>
public sealed record ChaosReport
{
    public int Orders { get; init; }
    public int Users { get; init; }
    public int Jobs { get; init; }
    public int Delivered { get; init; }
    public int Failed { get; init; }
    public int Undeliverable { get; init; }
    public IReadOnlyDictionary<string, int> FailedByClass { get; init; } = new Dictionary<string, int>();
    public int WorkerKills { get; init; }
    public int BotKills { get; init; }
    public int PostgresRestarts { get; init; }
    public int KieTasks { get; init; }
    /// <summary>Tasks KIE created (and charged for) that are not in the cost ledger.</summary>
    public int TasksUnrecorded { get; init; }
    /// <summary>KIE credits of every task by the price list, failed and retried ones included.</summary>
    public decimal KieCredits { get; init; }
    public int Takeovers { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Jobs still queued or running when the run ended.</summary>
    public int Stuck { get; init; }
    /// <summary>Failed jobs without exactly one refund, and delivered or undeliverable jobs with any refund.</summary>
    public int RefundErrors { get; init; }
    /// <summary>Users whose cached balance differs from the sum of their ledger.</summary>
    public int BalanceMismatches { get; init; }
    /// <summary>Orders whose charge minus refunds is not the price of the videos the user got.</summary>
    public int ChargedNotDelivered { get; init; }
    /// <summary>Delivered jobs whose video is not in the chat.</summary>
    public int Lost { get; init; }
    /// <summary>Videos in the chats beyond one per delivered job.</summary>
    public int DuplicateDeliveries { get; init; }
    /// <summary>Duplicates of jobs no worker died holding: a duplicate only the sent-then-killed window explains is not counted here.</summary>
    public int UnexplainedDuplicates { get; init; }
    /// <summary>Orders with more KIE tasks than their jobs counted attempts.</summary>
    public int TasksOverAttempts { get; init; }
    public int BotReplicas { get; init; }
    public int BlockedUsers { get; init; }
    /// <summary>Admin /grants sent, and of them not in the ledger exactly once.</summary>
    public int GrantsSent { get; init; }
    public int GrantErrors { get; init; }
    /// <summary>Grants in the ledger the admin was never told "Done" about.</summary>
    public int GrantsUnconfirmed { get; init; }
    public int AdminRefunds { get; init; }
    /// <summary>Methods Telegram answered with 429, and how many calls.</summary>
    public int TooManyRequests { get; init; }
    /// <summary>Messages still in the outbox when the run ended (committed, never sent).</summary>
    public int OutboxLeft { get; init; }

    public bool Clean => Stuck == 0 && RefundErrors == 0 && BalanceMismatches == 0 && ChargedNotDelivered == 0 && Lost == 0
                         && UnexplainedDuplicates == 0 && TasksOverAttempts == 0 && TasksUnrecorded == 0 && GrantErrors == 0 && GrantsUnconfirmed == 0 && OutboxLeft == 0;

    public override string ToString()
    {
        var s = new StringBuilder();
        s.AppendLine($"| orders / users / jobs | {Orders} / {Users} / {Jobs} |");
        s.AppendLine($"| delivered / failed (refunded) / undeliverable | {Delivered} / {Failed} / {Undeliverable} |");
        s.AppendLine($"| failed by class | {string.Join(", ", FailedByClass.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))} |");
        s.AppendLine($"| bot replicas behind one webhook URL; users who blocked the bot | {BotReplicas}; {BlockedUsers} |");
        s.AppendLine($"| kill -9: workers / bot replicas; PostgreSQL restarts | {WorkerKills} / {BotKills}; {PostgresRestarts} |");
        s.AppendLine($"| Telegram 429 storms (calls answered 429) | {TooManyRequests} |");
        s.AppendLine($"| admin /grant sent; not in the ledger once; never confirmed | {GrantsSent}; {GrantErrors}; {GrantsUnconfirmed} |");
        s.AppendLine($"| admin /refund sent | {AdminRefunds} |");
        s.AppendLine($"| KIE tasks created; jobs taken over after a lost lease | {KieTasks}; {Takeovers} |");
        s.AppendLine($"| KIE credits spent; per delivered video | {KieCredits:0}; {(Delivered == 0 ? 0 : KieCredits / Delivered):0.#} |");
        s.AppendLine($"| KIE tasks not in the cost ledger | {TasksUnrecorded} |");
        s.AppendLine($"| stuck (queued or running at the end) | {Stuck} |");
        s.AppendLine($"| refund errors (not exactly once) | {RefundErrors} |");
        s.AppendLine($"| balance ≠ ledger sum | {BalanceMismatches} |");
        s.AppendLine($"| charged for a video not delivered | {ChargedNotDelivered} |");
        s.AppendLine($"| delivered but not in the chat (lost) | {Lost} |");
        s.AppendLine($"| duplicate deliveries (of them unexplained) | {DuplicateDeliveries} ({UnexplainedDuplicates}) |");
        s.AppendLine($"| orders with more KIE tasks than attempts (a render paid twice) | {TasksOverAttempts} |");
        s.AppendLine($"| messages left in the outbox | {OutboxLeft} |");
        s.AppendLine($"| elapsed | {Elapsed.TotalSeconds:F0} s |");
        return s.ToString();
    }
}
