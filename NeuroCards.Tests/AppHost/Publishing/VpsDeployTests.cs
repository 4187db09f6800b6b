using NeuroCards.Core.Hosting;
using NeuroCards.Tests.TelegramEmulator.Client;

namespace NeuroCards.Tests.AppHost.Publishing;

/// <summary>
/// The deploy proven on a booted Debian 12 (see <see cref="VpsDeployment"/>): a seller's order over the webhook through
/// nginx's TLS, systemd restarting what dies and bringing everything back after a reboot, backup and restore, and an
/// update that rolls forward or back. Facts share one VPS; each leaves it healthy.
/// </summary>
[RunsLong(300)]
public sealed class VpsDeployTests(VpsDeployment d) : IClassFixture<VpsDeployment>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private void SkipUnlessBooted() => Assert.SkipWhen(d.Unavailable is not null, d.Unavailable ?? "");

    [Fact]
    public async Task The_first_run_writes_the_settings_and_names_the_lines_to_fill_in()
    {
        SkipUnlessBooted();
        Assert.Contains("Fill in these lines", d.FirstRun);
        foreach (var key in new[] { "Telegram__BotToken=", "Bot__TermsUrl=", "Kie__ApiKeys=" }) Assert.Contains(key, d.FirstRun);
        // Secrets are made on the operator's machine, and the public addresses are the server's.
        var settings = await File.ReadAllTextAsync(d.EnvFile, Cancel);
        Assert.Matches("(?m)^Telegram__WebhookSecret=[0-9a-f]{48}$", settings);
        Assert.Contains($"Telegram__WebhookUrl=https://{DebianVps.Address}:8443/telegram/webhook", settings);
    }

    [Fact]
    public async Task A_seller_gets_a_video_from_the_deployed_bot_with_telegram_delivering_over_https_to_nginx()
    {
        SkipUnlessBooted();
        Assert.Equal("active\nactive\nactive", await d.SshAsync("systemctl is-active neurocards-bot neurocards-worker@1 neurocards-worker@2"));
        // Telegram holds the self-signed certificate the bot uploaded, and trusts it alone.
        var webhook = await d.Bot.WebhookAsync();
        Assert.Equal($"https://{DebianVps.Address}:8443/telegram/webhook", webhook["url"]!.GetValue<string>());

        var user = await d.Bot.UserAsync(TestData.NewUserId(), "Анна", "ru");
        var order = System.Diagnostics.Stopwatch.StartNew();
        await user.OrderOneVideoAsync();
        var video = await user.Expect(m => m.Video is not null, TimeSpan.FromMinutes(3));
        Assert.NotNull(video.Video);
        TestContext.Current.TestOutputHelper?.WriteLine($"deploy.sh (second run): {d.DeployTime.TotalSeconds:0} s; bare VPS to live: "
            + $"{d.BootToLive.TotalSeconds:0} s; /start to a delivered video: {order.Elapsed.TotalSeconds:0} s");
        Assert.Equal("delivered", await d.SqlAsync($"select status from jobs where user_id = {user.Id}"));
        // What an operator looks at: the services with their health, Telegram's webhook, the queue; the nightly backup armed.
        var status = await d.SshAsync("/opt/neurocards/bin/status.sh");
        Assert.Contains("neurocards-worker@2: active (health: Healthy)", status);
        Assert.Contains($"webhook: https://{DebianVps.Address}:8443/telegram/webhook pending", status);
        Assert.Matches(@"(?m)^  delivered \d+$", status);
        Assert.Matches(@"(?m)^disk: \S+ free, \d+% used; backups: \S+$", status);
        Assert.Matches(@"(?m)^memory: \d+ MB available of \d+; load: [\d.]+ [\d.]+ [\d.]+$", status);
        Assert.Equal("enabled", await d.SshAsync("systemctl is-enabled neurocards-backup.timer"));
    }

    [Fact]
    public async Task A_webhook_with_a_certificate_telegram_cannot_verify_is_refused_with_telegrams_reason()
    {
        SkipUnlessBooted();
        // The same URL registered without the certificate: Telegram trusts only public CAs then, and says why it stops.
        using var http = new HttpClient { BaseAddress = new Uri(d.Telegram.BaseUrl) };
        using (var set = await http.PostAsync($"/bot{d.Bot.Token}/setWebhook?url=https://{DebianVps.Address}:8443/telegram/webhook", null, Cancel)) set.EnsureSuccessStatusCode();
        var user = await d.Bot.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        var error = "";
        for (var i = 0; i < 100 && error == ""; i++, await Task.Delay(100, Cancel)) error = (await d.Bot.WebhookAsync())["last_error"]?.GetValue<string>() ?? "";
        Assert.Contains("certificate verify failed", error);

        // The bot registers it again with its certificate when it starts: the waiting update is delivered.
        await d.SshAsync("systemctl restart neurocards-bot");
        await user.Expect("пользовательское соглашение", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_killed_worker_is_started_again_by_systemd_and_after_a_reboot_everything_is_back()
    {
        SkipUnlessBooted();
        var before = await d.SshAsync("systemctl show -p MainPID --value neurocards-worker@1");
        await d.SshAsync("systemctl kill -s KILL neurocards-worker@1");
        var after = before;
        for (var i = 0; i < 60 && (after == before || after == "0"); i++, await Task.Delay(500, Cancel)) after = await d.SshAsync("systemctl show -p MainPID --value neurocards-worker@1");
        Assert.NotEqual(before, after);
        Assert.NotEqual("0", after);

        await d.Vps.RebootAsync(Cancel);
        await d.SshAsync(". /opt/neurocards/bin/common.sh && wait_healthy 60");
        Assert.Equal("active\nactive\nactive\nactive\nactive", await d.SshAsync("systemctl is-active postgresql nginx neurocards-bot neurocards-worker@1 neurocards-worker@2"));
        var user = await d.Bot.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.Expect("пользовательское соглашение", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task After_a_backup_a_dropped_database_is_restored_with_the_sellers_balance_and_orders()
    {
        SkipUnlessBooted();
        var user = await d.Bot.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.OrderOneVideoAsync();
        await user.Expect(m => m.Video is not null, TimeSpan.FromMinutes(3));
        var balance = await d.SqlAsync($"select balance from users where id = {user.Id}");
        var orders = await d.SqlAsync($"select count(*) from orders where user_id = {user.Id}");
        Assert.Equal("1", orders);

        // An off-host copy, to another machine over ssh: here the VPS's own sshd stands in for that machine.
        await d.SshAsync("""
            test -f /root/.ssh/id_ed25519 || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
            cat /root/.ssh/id_ed25519.pub >> /root/.ssh/authorized_keys && ssh-keyscan -H 127.0.0.1 >> /root/.ssh/known_hosts 2>/dev/null
            mkdir -p /srv/offsite && echo 'Backup__Target=root@127.0.0.1:/srv/offsite' >> /etc/neurocards/neurocards.env
            """);
        var stamp = (await d.SshAsync("/opt/neurocards/bin/backup.sh")).Split('\n').Last();
        Assert.Equal($"neurocards-{stamp}.dump", await d.SshAsync($"ls /srv/offsite | grep {stamp}"));
        const string mediaFiles = "find /var/lib/neurocards/media -type f | wc -l";
        var media = await d.SshAsync(mediaFiles);
        Assert.NotEqual("0", media); // the seller's photo and video
        await d.SshAsync("systemctl stop neurocards-bot 'neurocards-worker@*' && cd / && runuser -u postgres -- dropdb neurocards && rm -rf /var/lib/neurocards/media/*");
        Assert.Contains($"restored neurocards-{stamp}.dump", await d.SshAsync($"/opt/neurocards/bin/restore.sh {stamp}"));
        Assert.Equal(media, await d.SshAsync(mediaFiles));

        Assert.Equal(balance, await d.SqlAsync($"select balance from users where id = {user.Id}"));
        Assert.Equal(orders, await d.SqlAsync($"select count(*) from orders where user_id = {user.Id}"));
        await user.Send("/account");
        await user.Expect("Мой кабинет", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Backups_are_kept_by_count_and_the_oldest_go_when_the_disk_runs_short()
    {
        SkipUnlessBooted();
        const string env = "/etc/neurocards/neurocards.env";
        const string dumps = "ls /var/backups/neurocards | grep dump | sort";
        try
        {
            // A later line wins: as an operator's Backup__Keep=2 would.
            await d.SshAsync($"echo 'Backup__Keep=2' >> {env} && for i in 1 2 3; do /opt/neurocards/bin/backup.sh >/dev/null; sleep 1; done");
            Assert.Equal(2, (await d.SshAsync(dumps)).Split('\n').Length);

            // Less free space than asked for: the oldest go, the newest always stays.
            var newest = await d.SshAsync($"echo 'Backup__MinFreeMb=100000000' >> {env} && /opt/neurocards/bin/backup.sh");
            Assert.Equal($"neurocards-{newest.Split('\n').Last()}.dump", await d.SshAsync(dumps));
        }
        finally
        {
            await d.SshAsync($"sed -i -e '/^Backup__Keep=2$/d' -e '/^Backup__MinFreeMb=100000000$/d' {env}");
        }
    }

    [Fact]
    public async Task An_update_rolls_forward_and_a_release_whose_bot_does_not_start_is_rolled_back()
    {
        SkipUnlessBooted();
        var live = await d.LiveReleaseAsync();
        var before = await d.SshAsync("readlink -f /opt/neurocards/current");

        // A changed release: a backup first, then rolled forward, both services healthy on it.
        const string newestDump = "ls /var/backups/neurocards | grep dump | sort | tail -n 1";
        var dumps = await d.SshAsync(newestDump);
        await File.WriteAllTextAsync(Path.Combine(live, "NeuroCards.Bot", "CHANGED"), "release two", Cancel);
        var forward = await d.DeployAsync(Cancel, "--release", live);
        Assert.True(forward.ExitCode == 0, forward.Output + forward.Error);
        var updated = await d.SshAsync("readlink -f /opt/neurocards/current");
        Assert.NotEqual(before, updated);
        Assert.Equal("release two", await d.SshAsync("cat /opt/neurocards/current/NeuroCards.Bot/CHANGED"));
        Assert.NotEqual(dumps, await d.SshAsync(newestDump));

        // A release whose bot cannot read its settings: the update fails, the previous release serves again.
        var settings = Path.Combine(live, "NeuroCards.Bot", "appsettings.json");
        await File.WriteAllTextAsync(settings, "{ broken", Cancel);
        var broken = await d.DeployAsync(Cancel, "--release", live);
        File.Delete(settings);
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Contains("rolling back", broken.Error);
        Assert.Equal(updated, await d.SshAsync("readlink -f /opt/neurocards/current"));
        var user = await d.Bot.UserAsync(TestData.NewUserId(), "Анна", "ru");
        await user.Send("/start");
        await user.Expect("пользовательское соглашение", TimeSpan.FromSeconds(60));
        Assert.True(int.Parse(await d.SshAsync("ls -1 /opt/neurocards/releases | wc -l"), System.Globalization.CultureInfo.InvariantCulture) <= 3);
    }

    [Fact]
    public async Task The_previous_neurocards_database_on_the_same_server_is_imported_by_cutover_sh()
    {
        SkipUnlessBooted();
        // The old system's database beside ours, as on a server moved in place (its schema from legacy-schema.md).
        await d.Vps.CopyToAsync(Path.Combine(ServiceProcess.RepoRoot(), "NeuroCards.Tests", "Bot", "Cutover", "legacy-schema.sql"), "/tmp/legacy.sql", Cancel);
        await d.SshAsync("""
            cd / && runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -c "create role legacy login password 'legacy-pass'" -c "create database legacy owner legacy" \
              && runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -d legacy -f /tmp/legacy.sql \
                   -c "insert into users (tg_user_id, username, credits) values (2001, 'vera', 7)" \
                   -c "insert into jobs (id, tg_user_id, product_name, status, video_file_id) values ('old-1', 2001, 'Кружка', 'completed', 'BAACAgIAAxkBAAIold9')" \
                   -c "grant select on all tables in schema public to legacy"
            """);
        const string url = "postgresql://legacy:legacy-pass@127.0.0.1:5432/legacy";

        Assert.Contains("would import", await d.SshAsync($"/opt/neurocards/bin/cutover.sh {url} --dry-run"));
        Assert.Equal("", await d.SqlAsync("select balance from users where id = 2001"));
        Assert.Contains("balances: 1 carried over, 7 credits", await d.SshAsync($"/opt/neurocards/bin/cutover.sh {url}"));
        Assert.Equal("7", await d.SqlAsync("select balance from users where id = 2001"));
        Assert.Equal("BAACAgIAAxkBAAIold9", await d.SqlAsync("select telegram_file_id from jobs where user_id = 2001"));
    }

    [Fact]
    public async Task With_a_domain_certbot_gets_a_certificate_from_the_acme_server_nginx_serves_it_and_a_renewal_reloads_it()
    {
        SkipUnlessBooted();
        const string domain = "shop.neurocards.test";
        await using var acme = await Pebble.StartAsync(DebianVps.HostAddress, DebianVps.Address, Cancel);
        // The ACME server's own HTTPS is trusted on the VPS as Let's Encrypt's is on every server.
        await d.Vps.CopyToAsync(acme.CaFile, "/usr/local/share/ca-certificates/acme-test.crt", Cancel);
        await d.SshAsync("update-ca-certificates >/dev/null");
        var release = await d.LiveReleaseAsync();

        try
        {
            var deployed = await d.DeployAsync(new Dictionary<string, string?> { ["DOMAIN"] = domain, ["ACME_SERVER"] = acme.DirectoryUrl }, Cancel, "--release", release);
            Assert.True(deployed.ExitCode == 0, deployed.Output + deployed.Error);

            const string served = $"openssl s_client -connect 127.0.0.1:443 -servername {domain} </dev/null 2>/dev/null | openssl x509 -noout -issuer -serial -ext subjectAltName";
            var first = await d.SshAsync(served);
            Assert.Contains("Pebble", first);
            Assert.Contains($"DNS:{domain}", first);
            Assert.Contains("Healthy", await d.SshAsync($"curl -sk --resolve {domain}:443:127.0.0.1 https://{domain}/health"));
            // The Mini App is served on the domain (Telegram opens only https ones) and is every chat's menu button.
            Assert.Contains("/app/telegram-web-app.js", await d.SshAsync($"curl -sk --resolve {domain}:443:127.0.0.1 https://{domain}/app"));
            Assert.Contains("function", await d.SshAsync($"curl -sk --resolve {domain}:443:127.0.0.1 https://{domain}/app/telegram-web-app.js | head -c 2000"));
            var menu = await d.Bot.MenuButtonAsync(0);
            for (var i = 0; i < 60 && menu["web_app"]?["url"]?.GetValue<string>() != $"https://{domain}/app"; i++)
            {
                await Task.Delay(500, Cancel);
                menu = await d.Bot.MenuButtonAsync(0);
            }
            Assert.Equal($"https://{domain}/app", menu["web_app"]?["url"]?.GetValue<string>());
            // Port 80 only answers ACME and sends everything else to https.
            Assert.Contains($"https://{domain}/telegram/webhook", await d.SshAsync($"curl -s -o /dev/null -w '%{{redirect_url}}' -H 'Host: {domain}' http://127.0.0.1/telegram/webhook"));

            await d.SshAsync("certbot renew --force-renewal --no-random-sleep-on-renew -q", TimeSpan.FromMinutes(3));
            var renewed = await d.SshAsync(served);
            Assert.NotEqual(first, renewed); // a new serial: nginx reloaded by the renewal hook
        }
        finally
        {
            // Back to the address the other facts use.
            var back = await d.DeployAsync(Cancel, "--release", release);
            Assert.True(back.ExitCode == 0, back.Output + back.Error);
        }
    }
}
