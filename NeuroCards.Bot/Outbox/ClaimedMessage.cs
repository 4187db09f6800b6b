namespace NeuroCards.Bot.Outbox;

/// <summary>An outbox row this sender holds the claim on, and how often it has been tried (this time included).</summary>
public sealed record ClaimedMessage(long Id, OutgoingMessage Message, int Attempts);
