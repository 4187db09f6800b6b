namespace NeuroCards.Tests.ServiceDefaults;

/// <summary>URLs reach logs and traces only with their secrets cut out.</summary>
public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("http://api.telegram.org/bot123456:AAH-x_y/sendMessage", "http://api.telegram.org/bot<redacted>/sendMessage")]
    [InlineData("/emulator/bots/123456:LOCALDEV/users", "/emulator/bots/<redacted>/users")]
    [InlineData("/callbacks/kie?token=abc123&x=1", "/callbacks/kie?token=<redacted>&x=1")]
    [InlineData("/media/outputs/a.mp4?exp=1&sig=f00d", "/media/outputs/a.mp4?exp=1&sig=<redacted>")]
    [InlineData("/health", "/health")]
    public void The_bot_token_and_query_secrets_are_cut_out(string url, string expected) =>
        Assert.Equal(expected, Microsoft.Extensions.Hosting.SecretRedaction.Redact(url));
}
