using NeuroCards.Core.Money;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.Bot.Conversation;

public abstract class ConversationTests(bool throughPgBouncer) : RunningBotTests(throughPgBouncer)
{
    public sealed class OnPostgres() : ConversationTests(false);

    /// <summary>The whole conversation again, through PgBouncer in transaction mode (Supabase's pooler).</summary>
    public sealed class ThroughPgBouncer() : ConversationTests(true);

    private static string Description => "Керамическая кружка 350 мл ручной работы. Для любителей кофе. Держит тепло, не скользит, можно в посудомойку. 890 ₽.";

    /// <summary>Walks a user from the menu through the photo and the description to the template step.</summary>
    private async Task<ChatMessage> ToTemplatesAsync(EmulatorUser user)
    {
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        await user.Expect("Фото товара");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send(Description);
        return await user.Expect(m => m.HasButton("UGC"));
    }

    /// <summary>Walks a user from the menu to the confirmation of an order of <paramref name="count"/> UGC videos.</summary>
    private async Task<ChatMessage> ToConfirmationAsync(EmulatorUser user, int count = 3)
    {
        var templates = await ToTemplatesAsync(user);
        await user.Press(templates, "UGC");
        var wishes = await user.Expect(m => m.HasButton("Пропустить"));
        await user.Press(wishes, "Пропустить");
        var counts = await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
        await user.PressData(counts, $"cnt:seedance-2:{count}");
        return await user.Expect("Проверь заказ");
    }

    /// <summary>A step's reply goes out just before its transaction commits: read the database once the commit is in.</summary>
    private async Task<T> ScalarWhen<T>(string sql, object args, Func<T, bool> until)
    {
        var value = await Scalar<T>(sql, args);
        for (var i = 0; i < 50 && !until(value); i++, await Task.Delay(100)) value = await Scalar<T>(sql, args);
        return value;
    }

    private async Task<byte[]> ReadStoredAsync(string key)
    {
        var stored = new MemoryStream();
        await (await h.Storage.Store.OpenReadAsync(key))!.Content.CopyToAsync(stored);
        return stored.ToArray();
    }

    private async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<T>(sql, args) ?? throw new InvalidOperationException("null");
    }

    [Fact]
    public async Task A_new_user_goes_from_start_to_a_confirmed_order_of_three_videos()
    {
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        var consent = await user.Expect("пользовательское соглашение");
        Assert.True(consent.DisablesLinkPreview);
        Assert.Contains("https://neurocards.example/terms", consent.Json["entities"]!.ToJsonString());
        await user.Press(consent, "Принимаю");
        var welcome = await user.Expect("в подарок");
        Assert.Contains("2 кредита", welcome.Text);
        var commands = await h.Telegram.CommandsAsync();
        Assert.Equal("Начать", commands["default/ru"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("Start", commands["default/"]![0]!["description"]!.GetValue<string>());
        await h.Db.Ledger.GrantAsync(user.Id, 5, "test", 1);

        var confirm = await ToConfirmationAsync(user);
        Assert.Contains("3 кредита", confirm.Text);
        await user.Press(confirm, "Старт");
        var status = await user.Expect("Заказ принят");

        Assert.Equal(confirm.Id, status.Id); // the confirmation became the order's status message
        Assert.Equal(4, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(4, await TestData.LedgerSumAsync(h.Db.DataSource, user.Id));
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var jobs = (await conn.QueryAsync<(string PhotoKey, string Description, string Template, string? Wishes, string Model, int Index)>(
            "select photo_key, description, template, wishes, model, index from jobs where user_id = @Id order by index", new { user.Id })).ToList();
        Assert.Equal(3, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((Description, "ugc", (string?)null, "seedance-2"), (j.Description, j.Template, j.Wishes, j.Model)));
        Assert.Single(jobs.Select(j => j.PhotoKey).Distinct());
        var inputs = await h.Storage.Store.ListAsync("inputs/").ToListAsync();
        Assert.Single(inputs);
        Assert.Equal(jobs[0].PhotoKey, inputs[0].Key);
        // Recorded right after the edit the user already sees.
        var recorded = 0;
        for (var i = 0; i < 50 && recorded != status.Id; i++, await Task.Delay(100))
        {
            recorded = await Scalar<int>("select coalesce(max(status_message_id), 0) from orders where user_id = @Id and status = 'confirmed'", new { user.Id });
        }
        Assert.Equal(status.Id, recorded);
    }

    [Fact]
    public async Task Pressing_start_five_times_and_an_old_button_later_charges_once()
    {
        var user = await h.OnboardedUserAsync();
        await h.Db.Ledger.GrantAsync(user.Id, 10, "test", 1);
        var confirm = await ToConfirmationAsync(user, count: 1);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => user.Press(confirm, "Старт")));
        await user.Expect("Заказ принят");
        // Later: the same old message's button, pressed again.
        var late = await user.PressData(confirm, confirm.Buttons.First(b => b.Text.Contains("Старт")).CallbackData!);
        await WaitAnswered(user, late);

        Assert.Equal(11, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(1, await Scalar<int>("select count(*)::int from ledger where user_id = @Id and kind = 'charge'", new { user.Id }));
        Assert.Equal(1, await Scalar<int>("select count(*)::int from jobs where user_id = @Id", new { user.Id }));
    }

    private static async Task WaitAnswered(EmulatorUser user, string callbackId)
    {
        for (var i = 0; i < 100 && !await user.CallbackAnswered(callbackId); i++) await Task.Delay(50);
        Assert.True(await user.CallbackAnswered(callbackId));
    }

    [Fact]
    public async Task Short_balance_keeps_the_order_and_a_top_up_brings_the_user_back_to_its_confirmation()
    {
        var user = await h.OnboardedUserAsync();
        var confirm = await ToConfirmationAsync(user, count: 5);
        Assert.Contains("Не хватает <b>3 кредитов</b>".Replace("<b>", "").Replace("</b>", ""), confirm.Text);
        Assert.True(confirm.HasButton("Пополнить"));
        var early = await user.Press(confirm, "Старт"); // pressing Start anyway changes nothing
        await WaitAnswered(user, early);
        Assert.Equal(0, await Scalar<int>("select count(*)::int from jobs where user_id = @Id", new { user.Id }));
        await user.Press(confirm, "Пополнить");
        await user.Expect("Купить кредиты");

        var admin = await h.Telegram.UserAsync(BotHarness.AdminId, "Admin", "ru");
        await admin.Send("/start");
        var consent = await admin.Expect(m => m.Buttons.Any(b => b.CallbackData == "consent"));
        await admin.PressData(consent, "consent");
        await admin.Expect(m => m.HasButton("Создать видео"));
        await admin.Send($"/grant {user.Id} 3 topup test");
        await admin.Expect("получил 3 кредита");

        var back = await user.Expect("Зачислено 3 кредита");
        Assert.Contains("Проверь заказ", back.Text);
        Assert.Contains("Видео: 5", back.Text);
        Assert.DoesNotContain("Не хватает", back.Text);
        // The old confirmation no longer says credits are short, and offers nothing to press.
        var old = (await user.Transcript()).Single(m => m.Id == confirm.Id);
        Assert.Contains("заказ ждёт ниже", old.Text);
        Assert.DoesNotContain("Не хватает", old.Text);
        Assert.Empty(old.Buttons);
        await user.Press(back, "Старт");
        await user.Expect("Заказ принят");
        Assert.Equal(0, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(5, await Scalar<int>("select count(*)::int from jobs where user_id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task An_english_user_gets_english_and_russian_plurals_read_right()
    {
        var english = await h.Telegram.UserAsync(TestData.NewUserId(), "John", "en");
        await english.Send("/start");
        var consent = await english.Expect("user agreement");
        await english.Press(consent, "I accept");
        var welcome = await english.Expect("my gift to you");
        Assert.Contains("2 credits", welcome.Text);

        var russian = await h.OnboardedUserAsync();
        foreach (var (grant, expected) in new[] { (19, "21 кредит"), (-16, "5 кредитов"), (-3, "2 кредита"), (-1, "1 кредит") })
        {
            await h.Db.Ledger.GrantAsync(russian.Id, grant, "plural check", 1);
            await russian.Send("/menu");
            // (the previous menu is edited too: it loses its buttons)
            var menu = await russian.Expect(m => m.Contains("Главное меню") && m.HasButton("Создать видео"));
            Assert.Contains($"Баланс: {expected}.", menu.Text);
        }
    }

    [Fact]
    public async Task Nothing_works_before_consent()
    {
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.Expect("пользовательское соглашение");

        await user.Send("/account");
        var again = await user.Expect(m => m.Contains("пользовательское соглашение") && m.HasButton("Принимаю"));

        // One consent button in the chat: the first message's went when the second came.
        Assert.Single(await user.Transcript(), m => m.HasButton("Принимаю"));
        await using (var conn = await h.Db.DataSource.OpenConnectionAsync())
        {
            Assert.Null(await conn.ExecuteScalarAsync<DateTime?>("select consent_at from users where id = @Id", new { user.Id }));
        }
        Assert.DoesNotContain(await user.Transcript(), m => m.Contains("Мой кабинет"));
    }

    [Fact]
    public async Task Every_bad_input_gets_an_answer_and_changes_nothing()
    {
        var user = await h.OnboardedUserAsync();
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        await user.Expect("Фото товара");

        await user.SendSticker();
        await user.Expect("Жду фото товара");
        await user.SendVoice();
        await user.Expect("Жду фото товара");
        await user.SendDocument("%PDF-1.7 not an image"u8.ToArray(), "price.pdf", "application/pdf");
        await user.Expect("не похоже на картинку");
        var huge = new byte[11 * 1024 * 1024];
        huge[0] = 0xFF; huge[1] = 0xD8; huge[2] = 0xFF;
        await user.SendDocument(huge, "huge.jpg", "image/jpeg");
        await user.Expect("больше 10 МБ");
        var broken = new byte[4096];
        new Random(7).NextBytes(broken);
        broken[0] = 0xFF; broken[1] = 0xD8; broken[2] = 0xFF; broken[3] = 0xE0; // looks like a JPEG, does not decode
        await user.SendDocument(broken, "broken.jpg", "image/jpeg");
        await user.Expect("не открывается");
        await user.SendDocument(ImageHeaders.Png(16_000, 16_000), "poster.png", "image/png"); // 256 MP declared in a few bytes
        await user.Expect("фото огромное");
        await user.Send("/nonsense");
        await user.Expect("Не знаю такой команды");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send("");
        await user.Send(new string('я', 10_000));
        await user.Expect("Слишком длинно: 10000");
        await user.Send("<b>кружка</b> & <script>alert(1)</script> — отличная");
        var templates = await user.Expect(m => m.HasButton("UGC"));
        await user.Send("хочу рекламу");
        await user.Expect("Выбери формат кнопкой");
        await user.PressData(templates, "tpl:evil");
        await user.Expect("Выбери формат кнопкой");
        var forged = await user.PressData(templates, "go:" + Guid.NewGuid().ToString("N"));
        await WaitAnswered(user, forged);
        Assert.Contains("уже пройден", await user.CallbackNotice(forged));
        Assert.True((await user.Transcript()).Single(m => m.Id == templates.Id).HasButton("UGC"), "the current step lost its buttons");
        var sent = await user.Send("правка");
        await user.Edit(sent["message_id"]!.GetValue<int>(), "исправленный текст");
        await user.Expect("изменённые сообщения");

        Assert.Equal(Ledger.SignUpBonus, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(0, await Scalar<int>("select count(*)::int from jobs where user_id = @Id", new { user.Id }));
        Assert.Equal("<b>кружка</b> & <script>alert(1)</script> — отличная",
            await Scalar<string>("select description from orders where user_id = @Id and status = 'cancelled' or user_id = @Id and description is not null order by created_at desc limit 1", new { user.Id }));
    }

    [Fact]
    public async Task A_step_answered_by_typing_loses_its_buttons_and_an_old_button_later_only_says_the_step_is_done()
    {
        var user = await h.OnboardedUserAsync();
        var templates = await ToTemplatesAsync(user);
        await user.Press(templates, "UGC");
        var wishes = await user.Expect(m => m.HasButton("Пропустить"));

        await user.Send("уютная кухня утром, спокойное настроение");
        var counts = await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
        var chat = await user.Transcript();
        Assert.Empty(chat.Single(m => m.Id == wishes.Id).Buttons); // no «⏭ Пропустить» left under a step that is done
        Assert.Single(chat, m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));

        // The old «UGC» button (the message was edited into the wishes step), pressed much later.
        var late = await user.PressData(templates, "tpl:ad");
        await WaitAnswered(user, late);
        Assert.Contains("уже пройден", await user.CallbackNotice(late));
        chat = await user.Transcript();
        Assert.DoesNotContain(chat, m => m.Contains("Главное меню") && m.Version > counts.Version); // no menu far up in the history
        Assert.Contains(chat.Single(m => m.Id == counts.Id).Buttons, b => b.CallbackData?.StartsWith("cnt:") == true); // the current step stays
        Assert.Equal("ugc", await Scalar<string>("select template from orders where user_id = @Id order by created_at desc limit 1", new { user.Id }));
    }

    [Fact]
    public async Task Edit_on_the_confirmation_then_back_leads_step_by_step_to_the_menu_on_one_message()
    {
        var user = await h.OnboardedUserAsync();
        await h.Db.Ledger.GrantAsync(user.Id, 10, "test", 1);
        var confirm = await ToConfirmationAsync(user, count: 1);
        Assert.True(confirm.HasButton("Изменить") && confirm.HasButton("Отмена"));

        // «✏️ Edit» goes back to the template, the photo and description kept; the way forward changes the order.
        await user.Press(confirm, "Изменить");
        var templates = await user.Expect(m => m.HasButton("UGC") && m.HasButton("Назад"));
        await user.Press(templates, "Реклама");
        var wishes = await user.Expect(m => m.HasButton("Пропустить"));
        await user.Press(wishes, "Назад");
        templates = await user.Expect(m => m.HasButton("UGC"));
        await user.Press(templates, "Назад");
        var description = await user.Expect(m => m.Contains("Описание товара") && m.HasButton("Назад"));
        await user.Press(description, "Назад");
        var photo = await user.Expect(m => m.Contains("Фото товара") && m.HasButton("Назад"));
        await user.Press(photo, "Назад");
        await user.Expect(m => m.Contains("Главное меню") && m.HasButton("Создать видео"));
        // Each screen was the same message, edited in place: no trail of keyboards.
        Assert.Single(await user.Transcript(), m => m.FromBot && m.Buttons.Any());
    }

    [Fact]
    public async Task Cancel_on_a_confirmation_names_the_draft_it_drops_charging_nothing()
    {
        var user = await h.OnboardedUserAsync();
        await h.Db.Ledger.GrantAsync(user.Id, 10, "test", 1);

        // «✖️ Cancel» on a confirmation says which draft goes; nothing is charged.
        var confirm = await ToConfirmationAsync(user, count: 1);
        await user.Press(confirm, "Отмена");
        var cancelled = await user.Expect("Отменила черновик");
        Assert.Contains("«Керамическая кружка 350 мл ручной работы»", cancelled.Text);
        Assert.True(cancelled.HasButton("Создать видео"));
        Assert.Equal(12, await TestData.BalanceAsync(h.Db.DataSource, user.Id));
        Assert.Equal(0, await ScalarWhen<int>("select count(*)::int from orders where user_id = @Id and status = 'draft'", new { user.Id }, n => n == 0));
        await user.Send("/cancel");
        await user.Expect("Отменять нечего");
    }

    [Fact]
    public async Task A_caption_becomes_the_description_a_new_photo_replaces_the_first_and_a_long_text_can_be_cut_to_3000()
    {
        var user = await h.OnboardedUserAsync();
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        var ask = await user.Expect("Фото товара");

        // A photo with its caption: straight to the template step.
        await user.SendPhoto(await TestMedia.PhotoAsync(), caption: Description);
        await user.Expect(m => m.HasButton("UGC"));
        const string latest = "from orders where user_id = @Id order by created_at desc limit 1";
        Assert.Equal(Description, await ScalarWhen<string?>("select description " + latest, new { user.Id }, d => d is not null));

        // Back to the description; a new photo there replaces the first.
        var templates = await user.Expect(m => m.HasButton("UGC"));
        await user.Press(templates, "Назад");
        await user.Expect(m => m.Contains("до 3000 символов") && m.HasButton("Назад"));
        var firstPhoto = await Scalar<string>("select photo_file_id " + latest, new { user.Id });
        var firstKey = await Scalar<string>("select photo_key " + latest, new { user.Id });
        var jpeg = await File.ReadAllBytesAsync(await TestMedia.MakeAsync("other.jpg", "-f lavfi -i color=c=blue:s=600x800 -frames:v 1"));
        await user.SendPhoto(jpeg);
        await user.Expect("Заменила фото");
        Assert.NotEqual(firstPhoto, await ScalarWhen<string>("select photo_file_id " + latest, new { user.Id }, p => p != firstPhoto));
        var secondKey = await Scalar<string>("select photo_key " + latest, new { user.Id });
        // Each stored photo keeps its own bytes under its own key: the one recorded is the one sent, and the first was
        // not overwritten by the second's upload (which runs before the update's transaction, so it must not be able to).
        Assert.Equal(jpeg, await ReadStoredAsync(secondKey));
        Assert.Equal(await TestMedia.PhotoAsync(), await ReadStoredAsync(firstKey));
        // An image sent as a file is taken too.
        var png = await File.ReadAllBytesAsync(await TestMedia.MakeAsync("other.png", "-f lavfi -i color=c=red:s=600x800 -frames:v 1"));
        await user.SendDocument(png, "other.png", "image/png");
        Assert.EndsWith(".png", await ScalarWhen<string>("select photo_key " + latest, new { user.Id }, k => k != secondKey));
        Assert.Equal(2, (await user.Transcript()).Count(m => m.Contains("Заменила фото")));

        // A text over 3000 characters: the offer to take its first 3000, ending at a sentence.
        var sentence = "Кружка держит тепло и не скользит в руке. ";
        var longText = string.Concat(Enumerable.Repeat(sentence, 3500 / sentence.Length + 1)).TrimEnd();
        await user.Send(longText);
        var offer = await user.Expect(m => m.HasButton("первые 3000"));
        Assert.Contains($"Слишком длинно: {longText.Length} символов", offer.Text);
        await user.Press(offer, "первые 3000");
        await user.Expect(m => m.HasButton("UGC"));
        var kept = await ScalarWhen<string>("select description " + latest, new { user.Id }, d => d != Description);
        Assert.InRange(kept.Length, 2500, 3000);
        Assert.EndsWith("не скользит в руке.", kept);
    }

    [Fact]
    public async Task The_confirmation_picks_the_frame_and_the_captions_and_one_more_keeps_them()
    {
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.Press(await user.Expect("пользовательское соглашение"), "Принимаю");
        await h.Db.Ledger.GrantAsync(user.Id, 5, "test", 1);

        var confirm = await ToConfirmationAsync(user, count: 1);
        Assert.Contains("9:16 — Reels, Shorts, VK Клипы, 10 секунд", confirm.Text);
        Assert.Contains("Титры: нет", confirm.Text); // UGC: none unless asked for
        Assert.True(confirm.HasButton("✅ 9:16"));

        await user.Press(confirm, "3:4");
        var card = await user.Expect(m => m.Id == confirm.Id && m.Contains("3:4 — карточка Wildberries и Ozon"));
        Assert.True(card.HasButton("✅ 3:4") && !card.HasButton("✅ 9:16"));
        await user.Press(card, "Титры");
        var captioned = await user.Expect(m => m.Id == confirm.Id && m.Contains("Титры: заголовок и 2–3 преимущества"));
        Assert.True(captioned.HasButton("Титры: вкл"));

        await user.Press(captioned, "Старт");
        await user.Expect("Заказ принят");
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(("card", true), await conn.QuerySingleAsync<(string, bool)>("select format, captions from jobs where user_id = @Id", new { user.Id }));
        var first = await conn.ExecuteScalarAsync<Guid>("select order_id from jobs where user_id = @Id", new { user.Id });

        // «Ещё с этим товаром»: the same photo, description and frame, the flow from the template on.
        await user.PressData(await user.Expect("Заказ принят"), $"again:{first:N}");
        await user.Press(await user.Expect(m => m.HasButton("UGC")), "UGC");
        await user.Press(await user.Expect(m => m.HasButton("Пропустить")), "Пропустить");
        await user.PressData(await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true)), "cnt:seedance-2:1");
        var again = await user.Expect("Проверь заказ");
        Assert.Contains("3:4 — карточка Wildberries и Ozon", again.Text);
        Assert.Contains("Титры: заголовок", again.Text);
    }

    [Fact]
    public async Task A_long_description_cut_through_an_emoji_is_kept_whole_and_the_order_goes_on()
    {
        var user = await h.OnboardedUserAsync();
        await user.Press(await user.Expect(m => m.HasButton("Создать видео")), "Создать видео");
        await user.Expect("Фото товара");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");

        // Both places the bot cuts (what it keeps of a long text, and the 3000 it takes) fall inside an emoji.
        await user.Send(new string('я', 2999) + "😀" + new string('я', 8999) + "😀" + new string('я', 100));
        var tooLong = await user.Expect("Слишком длинно");
        await user.Press(tooLong, "Взять первые 3000");

        await user.Expect(m => m.HasButton("UGC"));
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Equal(2999, await conn.ExecuteScalarAsync<int>("select length(description) from orders where user_id = @Id", new { user.Id }));
    }

    [Fact]
    public async Task One_more_after_the_photo_was_deleted_by_retention_asks_for_the_photo_again()
    {
        var user = await h.OnboardedUserAsync();
        var old = await TestData.DraftOrderAsync(h.Db.DataSource, user.Id); // its photo is not in storage (any more)

        await user.PressData((await user.Transcript()).Last(m => m.FromBot), $"again:{old:N}");

        await user.Expect("уже не хранится");
        await user.Expect("Шаг 1 из 5. Фото товара");
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        Assert.Null(await conn.ExecuteScalarAsync<string?>("select photo_key from orders where source_order_id = @old", new { old }));
    }

    [Fact]
    public async Task The_price_and_what_a_video_is_come_before_the_first_order_and_only_configured_ways_to_pay_are_named()
    {
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.Press(await user.Expect("пользовательское соглашение"), "Принимаю");
        var welcome = await user.Expect("в подарок");
        Assert.Contains("Дальше одно видео стоит 1 кредит", welcome.Text);
        var menu = await user.Expect(m => m.Contains("Главное меню") && m.HasButton("Создать видео"));
        Assert.Contains("Одно видео — 1 кредит: вертикальное 9:16, 8–15 секунд", menu.Text);

        var confirm = await ToConfirmationAsync(user, count: 3);
        Assert.Contains("Товар: «Керамическая кружка 350 мл ручной работы»", confirm.Text);
        Assert.Contains("Видео: 3 × 9:16 — Reels, Shorts, VK Клипы, 10 секунд", confirm.Text);
        Assert.Contains("(1 кредит за видео)", confirm.Text);
        Assert.Contains("Не хватает 1 кредита", confirm.Text); // the genitive: 1 кредита, 2 кредитов

        // No YooKassa here: the packs speak of Stars only.
        await user.Send("/buy");
        var packs = await user.Expect("Купить кредиты");
        Assert.DoesNotContain("₽", packs.Text);
        Assert.Contains("5 кредитов — 250 ⭐", packs.Text);
        Assert.True(packs.HasButton("5 кредитов — 250 ⭐"));
        Assert.DoesNotContain(packs.Buttons, b => b.Text.Contains('₽'));
    }

    [Fact]
    public async Task Switching_the_language_mid_order_keeps_the_draft_and_shows_the_same_step_in_the_new_language()
    {
        var user = await h.OnboardedUserAsync();
        var templates = await ToTemplatesAsync(user);
        await user.Press(templates, "Реклама");
        var wishes = await user.Expect(m => m.HasButton("Пропустить"));
        await user.Press(wishes, "Пропустить");
        await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));

        await user.Send("/language");
        var count = await user.Expect(m => m.Contains("How many videos") && m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));
        Assert.DoesNotContain("hero", count.Text); // an ad has no hero: its videos differ in setting and camera
        await user.PressData(count, "cnt:seedance-2:1");
        var confirm = await user.Expect("Check your order");
        Assert.Contains("Product ad", confirm.Text);
        Assert.Equal(1, await Scalar<int>("select count(*)::int from orders where user_id = @Id and status = 'draft' and photo_key is not null and description is not null", new { user.Id }));
    }

    [Fact]
    public async Task An_own_prompt_is_echoed_safely_and_text_added_to_it_appends()
    {
        var user = await h.OnboardedUserAsync();
        var menu = await user.Expect(m => m.HasButton("Создать видео"));
        await user.Press(menu, "Создать видео");
        await user.SendPhoto(await TestMedia.PhotoAsync());
        await user.Expect("Описание товара");
        await user.Send(Description);
        var templates = await user.Expect(m => m.HasButton("продюсер"));
        await user.Press(templates, "продюсер");
        await user.Expect("Твой промпт");

        await user.Send("A mug <b>on</b> a table & steam");
        var review = await user.Expect("Вот твой промпт");
        Assert.Contains("A mug <b>on</b> a table & steam", review.Text);
        await user.Press(review, "Дополнить");
        await user.Expect("что добавить");
        await user.Send("slow dolly in");
        var again = await user.Expect(m => m.Contains("slow dolly in"));
        await user.Press(again, "Утвердить");
        await user.Expect(m => m.Buttons.Any(b => b.CallbackData?.StartsWith("cnt:") == true));

        Assert.Equal("A mug <b>on</b> a table & steam\nslow dolly in",
            await Scalar<string>("select user_prompt from orders where user_id = @Id order by created_at desc limit 1", new { user.Id }));
    }

    [Fact]
    public async Task A_group_chat_is_politely_refused()
    {
        var user = await h.Telegram.UserAsync(TestData.NewUserId(), "Анна", "ru");
        using var http = new HttpClient { BaseAddress = h.Telegram.BaseAddress };
        await http.PostAsync($"/_emulator/bots/{h.Token}/groups/-100123", null);
        var response = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http,
            $"/_emulator/bots/{h.Token}/users/{user.Id}/text", new { text = "/start", chatId = -100123L });
        response.EnsureSuccessStatusCode();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        IReadOnlyList<ChatMessage> group = [];
        while (DateTime.UtcNow < deadline && !group.Any(m => m.FromBot))
        {
            group = (await h.Telegram.TranscriptAsync(-100123)).Messages;
            await Task.Delay(100);
        }
        Assert.Contains(group, m => m.FromBot && m.Contains("только в личных сообщениях"));
        Assert.Equal(0, await Scalar<int>("select count(*)::int from conversations where chat_id = -100123"));
    }

    [Fact]
    public async Task One_more_with_this_product_starts_a_new_order_at_the_template_step_with_the_same_photo_and_description()
    {
        var user = await h.OnboardedUserAsync();
        var confirm = await ToConfirmationAsync(user, count: 1);
        await user.Press(confirm, "Старт");
        var status = await user.Expect("Заказ принят");
        await using var conn = await h.Db.DataSource.OpenConnectionAsync();
        var first = await conn.QuerySingleAsync<(Guid Id, string PhotoKey)>("select id, photo_key from orders where user_id = @Id and status = 'confirmed'", new { user.Id });

        // The worker's result message carries this button.
        await user.PressData(status, $"again:{first.Id:N}");
        await user.Expect(m => m.HasButton("UGC"));
        for (var i = 0; i < 50 && await Scalar<int>("select count(*)::int from orders where user_id = @Id and status = 'draft'", new { user.Id }) == 0; i++)
        {
            await Task.Delay(100); // the reply goes out just before the step commits
        }

        var again = await conn.QuerySingleAsync<(string PhotoKey, string Description, Guid SourceOrderId)>(
            "select photo_key, description, source_order_id from orders where user_id = @Id and status = 'draft'", new { user.Id });
        Assert.Equal((first.PhotoKey, Description, first.Id), again);
        Assert.Single(await h.Storage.Store.ListAsync("inputs/").ToListAsync());
    }
}
