using Microsoft.Extensions.Logging.Abstractions;
using NeuroCards.Core.Orders;
using NeuroCards.Core.Queue;
using NeuroCards.Core.Texts;
using NeuroCards.Worker.Progress;

namespace NeuroCards.Tests.Worker.Progress;

/// <summary>The order's status message as the seller reads it while the videos are being made.</summary>
public sealed class OrderProgressTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private readonly OrderProgress _progress = new(null!, null!, TextCatalog.Load(), null!, NullLogger<OrderProgress>.Instance);

    private string Text(string language, int count, params JobProgress[] jobs) =>
        _progress.Compose(new OrderStatusView(1, 1, language, count, null), jobs, 0, Now).Text;

    [Fact]
    public void A_render_that_just_started_says_so_instead_of_already_0_minutes()
    {
        var started = Text("ru", 1, new JobProgress(JobStatus.Running, JobStage.Render, Now.AddSeconds(-20), Now.AddMinutes(-1)));
        var later = Text("ru", 1, new JobProgress(JobStatus.Running, JobStage.Render, Now.AddMinutes(-4), Now.AddMinutes(-5)));

        Assert.Contains("только начала", started);
        Assert.DoesNotContain("уже 0 мин", started);
        Assert.Contains("уже 4 мин", later);
    }

    [Fact]
    public void A_finished_one_video_order_reads_in_the_singular()
    {
        Assert.Contains("Your video is below", Text("en", 1, new JobProgress(JobStatus.Delivered, JobStage.Done, Now.AddMinutes(-3), Now.AddMinutes(-5))));
        Assert.Contains("Your videos are below", Text("en", 3,
            new JobProgress(JobStatus.Delivered, JobStage.Done, null, Now), new JobProgress(JobStatus.Delivered, JobStage.Done, null, Now),
            new JobProgress(JobStatus.Delivered, JobStage.Done, null, Now)));
    }

    [Fact]
    public void A_video_made_but_not_delivered_is_not_called_ready()
    {
        var text = Text("ru", 2, new JobProgress(JobStatus.Delivered, JobStage.Done, null, Now), new JobProgress(JobStatus.Undeliverable, JobStage.Done, null, Now));

        Assert.DoesNotContain("Всё готово", text);
        Assert.Contains("не доставлено: 1", text);
    }

    [Fact]
    public void The_closing_message_sends_a_seller_whose_video_was_not_delivered_to_the_account()
    {
        var closing = new OrderClosing(null!, null!, TextCatalog.Load(), NullLogger<OrderClosing>.Instance);

        var (text, _) = closing.Compose(new ClosedOrder(1, 1, "ru", 3, 1, [FailureClass.Moderation], Undelivered: 1, Balance: 5), Guid.NewGuid());
        var (allUndelivered, _) = closing.Compose(new ClosedOrder(1, 1, "ru", 1, 1, [], Undelivered: 1, Balance: 5), Guid.NewGuid());

        Assert.Contains("Моего кабинета", text);
        Assert.Contains("не получилось", text);
        Assert.DoesNotContain("Готово: ", allUndelivered);
        Assert.Contains("Моего кабинета", allUndelivered);
    }
}
