namespace NeuroCards.Bot.Conversation;

public static class States
{
    public const string Consent = "consent";
    public const string Menu = "menu";
    public const string Photo = "photo";
    public const string Description = "description";
    public const string Template = "template";
    public const string Wishes = "wishes";
    public const string Prompt = "prompt";
    public const string PromptReview = "prompt_review";
    public const string Count = "count";
    public const string Confirm = "confirm";
}
