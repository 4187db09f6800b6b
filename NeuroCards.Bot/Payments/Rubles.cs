using System.Globalization;

namespace NeuroCards.Bot.Payments;

/// <summary>Prices in rubles as sellers read them: «1 490».</summary>
public static class Rubles
{
    private static readonly NumberFormatInfo Groups = new() { NumberGroupSeparator = " " };

    public static string Format(decimal amount) => amount.ToString("#,0", Groups);
}
