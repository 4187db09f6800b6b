using NeuroCards.Core.Marketplaces;

namespace NeuroCards.Tests.Core.Marketplaces;

/// <summary>What the marketplaces forbid on a product video, line by line: kept, rewritten without the claim, or dropped.</summary>
public sealed class CaptionRulesTests
{
    [Theory]
    // Allowed as written.
    [InlineData("Держит тепло 6 часов", null, "Держит тепло 6 часов")]
    [InlineData("Кружка 350 мл ручной работы", null, "Кружка 350 мл ручной работы")]
    [InlineData("Можно в посудомойку", null, "Можно в посудомойку")]
    [InlineData("Хитрый замок без ключа", null, "Хитрый замок без ключа")]
    // Prices: dropped.
    [InlineData("Всего 990 ₽", "price", null)]
    [InlineData("от 500 руб. за штуку", "price", null)]
    [InlineData("Цена ниже рынка", "price", null)]
    [InlineData("Только $20", "price", null)]
    // Discounts and promotions: dropped.
    [InlineData("Скидка 30% до пятницы", "discount", null)]
    [InlineData("-50% на второй товар", "discount", null)]
    [InlineData("Акция: два по цене одного", "price", null)]
    [InlineData("Распродажа коллекции", "discount", null)]
    // Contacts and links: dropped.
    [InlineData("Пишите в WhatsApp", "contact", null)]
    [InlineData("Звоните +7 999 123-45-67", "contact", null)]
    [InlineData("Наш магазин shop.ru", "contact", null)]
    [InlineData("Подпишись @mugs_store", "contact", null)]
    // Superlatives: rewritten without the claim when a line is left, else dropped.
    [InlineData("Хит продаж: кружка из керамики", "superlative", "Кружка из керамики")]
    [InlineData("Лучший подарок маме", "superlative", "Подарок маме")]
    [InlineData("Топ качество", "superlative", "Качество")]
    [InlineData("№1 на рынке", "superlative", "На рынке")]
    [InlineData("Самая тёплая кружка", "superlative", "Тёплая кружка")]
    [InlineData("Хит!", "superlative", null)]
    public void Each_line_is_kept_rewritten_or_dropped(string line, string? violation, string? kept)
    {
        Assert.Equal(violation, CaptionRules.Violation(line));
        Assert.Equal(kept, CaptionRules.Rewrite(line));
    }

    [Fact]
    public void At_most_four_short_lines_reach_the_video_without_repeats()
    {
        var lines = CaptionRules.Clean(["Кружка «Морской бриз»", "Лучшая кружка «Морской бриз»", "Скидка 20%", "Держит тепло 6 часов",
            "Керамика ручной работы, глазурь без свинца и кадмия, подходит для посудомоечной машины", "Можно в микроволновку", "Объём 350 мл"]);

        Assert.Equal(["Кружка «Морской бриз»", "Держит тепло 6 часов", "Керамика ручной работы", "Можно в микроволновку"], lines);
        Assert.All(lines, l => Assert.True(l.Length <= CaptionRules.MaxLineLength));
    }

    [Theory]
    [InlineData("Термокружка автомобильная стальная двустенная с крышкой-поилкой", "Термокружка автомобильная стальная")]
    [InlineData("Рюкзак городской водонепроницаемый для ноутбука 15,6 дюймов", "Рюкзак городской водонепроницаемый")]
    [InlineData("Электрозубнащёткасмаркетплейсаснасадкамиизаряднымустройством", "Электрозубнащёткасмаркетплейсаснасадкамии…")]
    public void A_long_headline_loses_whole_words_never_half_of_one(string name, string headline)
    {
        Assert.Equal(headline, CaptionRules.Clean([name]).Single());
    }

    [Theory]
    [InlineData(720, 1280, 10.0, 3_000_000L, "Wildberries, Ozon, Reels, Shorts")]
    [InlineData(810, 1080, 8.0, 3_000_000L, "Wildberries, Ozon")]
    [InlineData(1080, 1080, 9.0, 3_000_000L, "Wildberries, Ozon, VK")]
    [InlineData(720, 1280, 5.0, 3_000_000L, "")]   // too short for Ozon
    [InlineData(540, 960, 10.0, 3_000_000L, "")]   // too small a frame
    [InlineData(720, 1280, 10.0, 60_000_000L, "")] // over Wildberries' 50 MB
    public void A_file_fits_the_places_whose_rules_it_passes(int width, int height, double seconds, long bytes, string places)
    {
        var facts = new VideoFacts("mov,mp4,m4a,3gp,3g2,mj2", "h264", width, height, seconds, bytes);

        Assert.Equal(places, string.Join(", ", MarketplaceCheck.Fits(facts)));
        Assert.Equal(places.Length == 0, MarketplaceCheck.Problems(facts).Count > 0);
    }

    [Fact]
    public void A_file_that_is_not_h264_mp4_fails_the_check() =>
        Assert.Equal(2, MarketplaceCheck.Problems(new VideoFacts("matroska,webm", "vp9", 720, 1280, 10, 1000)).Count);
}
