using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Infrastructure;

/// <summary>What a new seller does most: from /start to "🚀 Start" on one UGC video of the test photo.</summary>
public static class SellerFlow
{
    public static async Task OrderOneVideoAsync(this EmulatorUser user)
    {
        await user.Send("/start");
        await user.PressData(await user.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"), TimeSpan.FromSeconds(60)), "consent");
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("Керамическая кружка 350 мл ручной работы, держит тепло.");
        await user.Press(await user.Expect(m => m.HasButton("UGC")), "UGC");
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");
        var counts = await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:", StringComparison.Ordinal) == true));
        await user.PressData(counts, counts.Buttons.First(b => b.CallbackData!.EndsWith(":1", StringComparison.Ordinal)).CallbackData!);
        await user.Press(await user.Expect("Проверь заказ"), "Старт");
    }
}
