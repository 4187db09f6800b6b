namespace NeuroCards.Core.Texts;

public static class PluralRules
{
    /// <summary>CLDR cardinal forms: ru one/few/many (1 кредит, 2 кредита, 5 кредитов, 21 кредит), en one/other.</summary>
    public static string Form(string language, long n)
    {
        n = Math.Abs(n);
        if (language != "ru") return n == 1 ? "one" : "other";
        var mod10 = n % 10;
        var mod100 = n % 100;
        if (mod10 == 1 && mod100 != 11) return "one";
        if (mod10 is >= 2 and <= 4 && mod100 is < 12 or > 14) return "few";
        return "many";
    }
}
