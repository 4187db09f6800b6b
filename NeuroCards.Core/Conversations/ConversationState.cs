namespace NeuroCards.Core.Conversations;

/// <summary>The step a chat's conversation is at (conversations.state, stored as snake_case text).</summary>
public enum ConversationState
{
    Consent,
    Menu,
    Photo,
    Description,
    Template,
    Wishes,
    Prompt,
    PromptReview,
    Count,
    Confirm,

    /// <summary>A card video's preview is being made or shown: a typed text changes its script.</summary>
    Preview,
}
