using System.Net;
using NeuroCards.Bot.Payments.YooKassa;

namespace NeuroCards.Tests.Bot.Payments;

/// <summary>Who may post YooKassa's notifications, as the operator's setting reads.</summary>
public sealed class YooKassaOptionsTests
{
    [Theory]
    [InlineData(null, "185.71.76.5", true)]
    [InlineData(null, "203.0.113.9", false)]
    [InlineData("", "203.0.113.9", false)] // an empty line in the environment file keeps YooKassa's networks
    [InlineData("  ", "185.71.77.1", true)]
    [InlineData("*", "203.0.113.9", true)]
    [InlineData("10.0.0.0/8", "185.71.76.5", false)]
    public void A_sender_is_taken_only_from_the_allowed_networks(string? setting, string sender, bool allowed)
    {
        var options = setting is null ? new YooKassaOptions() : new YooKassaOptions { AllowedNetworks = setting };
        var networks = options.Networks;

        Assert.Equal(allowed, networks.Count == 0 || networks.Any(n => n.Contains(IPAddress.Parse(sender))));
    }
}
