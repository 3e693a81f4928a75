using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

public sealed class WebhookNotificationTests : ServerTest
{
    private WebhookReceiver _receiver = null!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notifications:RetryBaseDelay"] = "00:00:00.100",
        ["Notifications:MaxAttempts"] = "3",
        ["Notifications:BatchWindow"] = "00:00:02",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task<string> ChannelAsync(object? preferences = null)
    {
        var (id, secret) = await Client.CreateChannelAsync("webhook", new { url = _receiver.Url.ToString() }, preferences);
        secret.ShouldNotBeNullOrEmpty();
        _receiver.Secret = secret!;
        return id;
    }

    [Fact]
    public async Task OrangeApproval_ArrivesSigned_AndItsLinkApprovesOnceAsTheUser()
    {
        await ChannelAsync();
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var delivery = (await _receiver.WaitForAsync(1)).Single();
        var item = delivery.Item();
        item.GetProperty("kind").GetString().ShouldBe("approval");
        item.GetProperty("itemId").GetString().ShouldBe(approvalId);
        item.GetProperty("tier").GetString().ShouldBe("ORANGE");
        item.GetProperty("title").GetString().ShouldBe("ORANGE approval: Bash");
        item.GetProperty("body").GetString()!.ShouldContain("curl https://example.com");
        item.GetProperty("url").GetString().ShouldBe(new Uri(Server.Address, $"/sessions/{sessionId}").ToString());
        delivery.Body.GetProperty("user").GetString().ShouldBe("admin");
        _receiver.Refused.ShouldBe(0);

        using (var approved = await NotificationTestKit.TapAsync(delivery.ActionUrl("approve")))
        {
            approved.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await approved.Content.ReadAsStringAsync()).ShouldContain("Approved");
        }
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var approval = await Client.ApprovalAsync(approvalId);
        approval.GetProperty("status").GetString().ShouldBe("approved");
        approval.GetProperty("decidedBy").GetString().ShouldBe("admin");

        using var replayed = await NotificationTestKit.TapAsync(delivery.ActionUrl("approve"));
        replayed.StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await replayed.Content.ReadAsStringAsync()).ShouldContain("already used");
        using var deny = await NotificationTestKit.TapAsync(delivery.ActionUrl("deny"));
        deny.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await deny.Content.ReadAsStringAsync()).ShouldContain("already approved by admin");

        var sent = (await Client.NotificationsAsync()).EnumerateArray().Single();
        sent.GetProperty("status").GetString().ShouldBe("sent");
        sent.GetProperty("deliveryKey").GetString().ShouldBe(delivery.Key);
    }

    [Fact]
    public async Task FailingReceiver_IsRetried_AndEveryAttemptIsVisible()
    {
        await ChannelAsync();
        _receiver.FailNext(2);
        await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var delivery = (await _receiver.WaitForAsync(1)).Single();
        var id = (await Client.NotificationsAsync()).EnumerateArray().Single().GetProperty("id").GetString();
        var detail = JsonDocument.Parse(await Client.GetStringAsync($"/api/notifications/{id}")).RootElement;
        detail.GetProperty("status").GetString().ShouldBe("sent");
        var attempts = detail.GetProperty("attemptLog").EnumerateArray().ToList();
        attempts.Select(a => a.GetProperty("outcome").GetString()).ShouldBe(["failed", "failed", "delivered"]);
        attempts[0].GetProperty("detail").GetString()!.ShouldContain("503");
        attempts.ShouldAllBe(a => a.GetProperty("deliveryKey").GetString() == delivery.Key);
        // Exponential: the second wait is about twice the first (100 ms, 200 ms).
        var at = attempts.Select(a => a.GetProperty("at").GetDateTimeOffset()).ToList();
        (at[2] - at[1]).ShouldBeGreaterThan(at[1] - at[0]);
    }

    [Fact]
    public async Task ReceiverDownForGood_GoesDead_ThenRedeliverDeliversIt()
    {
        await ChannelAsync();
        _receiver.FailNext(int.MaxValue);
        await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var dead = await Poll.UntilAsync(() => Client.NotificationsAsync("?status=dead"), d => d.GetArrayLength() == 1, what: "a dead notification");
        dead[0].GetProperty("attempts").GetInt32().ShouldBe(3);
        dead[0].GetProperty("lastError").GetString()!.ShouldContain("503");

        _receiver.FailNext(0);
        var id = dead[0].GetProperty("id").GetString();
        using (var again = await Client.PostAsync($"/api/notifications/{id}/redeliver", null))
            again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await _receiver.WaitForAsync(1);
        await Poll.UntilAsync(() => Client.NotificationsAsync("?status=sent"), s => s.GetArrayLength() == 1, what: "the notification to be sent");
        using var twice = await Client.PostAsync($"/api/notifications/{id}/redeliver", null);
        twice.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await twice.ProblemAsync()).GetProperty("code").GetString().ShouldBe("NOTIFICATION_NOT_DEAD");
    }

    [Fact]
    public async Task Preferences_TakeOnlyTheChosenKindsAndTiers()
    {
        await ChannelAsync(new { kinds = new[] { "approval" }, minTier = "RED" });
        var (orange, _) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        var (red, redApproval) = await Client.PendingApprovalAsync(NewProjectDir(), "git push --force origin main");

        var delivery = (await _receiver.WaitForAsync(1)).Single();
        delivery.Item().GetProperty("itemId").GetString().ShouldBe(redApproval);
        delivery.Item().GetProperty("tier").GetString().ShouldBe("RED");
        // The ORANGE one was never queued for this channel.
        (await Client.NotificationsAsync()).EnumerateArray().ShouldAllBe(n => n.GetProperty("sessionId").GetString() == red);
        orange.ShouldNotBe(red);
    }

    [Fact]
    public async Task ASessionsNotifications_AtMostOnePerWindow_TheRestTogether()
    {
        await ChannelAsync();
        var store = Server.Service<Storage.IEventStore>();
        var first = await AppendApprovalAsync(store, "s_batch", "ap_one");
        var delivered = (await _receiver.WaitForAsync(1)).Single();
        delivered.ItemCount.ShouldBe(1);
        await AppendApprovalAsync(store, "s_batch", "ap_two");
        await AppendApprovalAsync(store, "s_batch", "ap_three");

        var both = (await _receiver.WaitForAsync(2))[1];
        both.ItemCount.ShouldBe(2);
        Enumerable.Range(0, 2).Select(i => both.Item(i).GetProperty("itemId").GetString()).ShouldBe(["ap_two", "ap_three"]);
        (both.At - delivered.At).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9));
        // Nothing is sent twice for the same item, however often its event is seen.
        _receiver.Received.Count.ShouldBe(2);
        first.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task StalledChannel_DoesNotHoldBackAnotherChannel()
    {
        await using var stalled = await WebhookReceiver.StartAsync();
        stalled.Stall = new TaskCompletionSource();
        var (_, stalledSecret) = await Client.CreateChannelAsync("webhook", new { url = stalled.Url.ToString() });
        stalled.Secret = stalledSecret!;
        await ChannelAsync();

        await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");
        await _receiver.WaitForAsync(1, TimeSpan.FromSeconds(5));
        stalled.Processed.ShouldBeEmpty();
        stalled.Stall.SetResult();
        await stalled.WaitForAsync(1);
    }

    [Fact]
    public async Task CreateChannel_BadInput_400NamingTheField()
    {
        foreach (var (body, field) in new[]
        {
            ("{\"type\": \"pigeon\"}", "type"),
            ("{\"type\": \"webhook\", \"target\": {\"url\": \"ftp://x\"}}", "target.url"),
            ("{\"type\": \"ntfy\", \"target\": {\"topic\": \"has space\"}}", "target.topic"),
            ("{\"type\": \"email\", \"target\": {\"address\": \"nobody\"}}", "target.address"),
            ("{\"type\": \"telegram\", \"target\": {}}", "target.chatId"),
            ("{\"type\": \"webhook\", \"target\": {\"url\": \"http://x\"}, \"preferences\": {\"kinds\": [\"gossip\"]}}", "preferences.kinds"),
            ("{\"type\": \"webhook\", \"target\": {\"url\": \"http://x\"}, \"preferences\": {\"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}}", "preferences.quietHours.start"),
        })
        {
            using var response = await Client.PostJsonAsync("/api/notifications/channels", body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe(field, body);
        }
        (await Client.GetStringAsync("/api/notifications/channels")).ShouldContain("\"items\":[]");
    }

    private static async Task<long> AppendApprovalAsync(Storage.IEventStore store, string sessionId, string approvalId)
    {
        var data = new ApprovalRequestedData(approvalId, "tu_" + approvalId, "Bash", JsonDocument.Parse("{\"command\":\"curl x\"}").RootElement,
            "ORANGE", "network", "unknown", null, DateTimeOffset.UtcNow.AddMinutes(30));
        var stored = await store.AppendAsync([new NewEvent(sessionId, EventTypes.ApprovalRequested, "gate",
            JsonSerializer.SerializeToElement(data, Contracts.OverseerJson.Default.ApprovalRequestedData))]);
        return stored[0].Seq;
    }
}
