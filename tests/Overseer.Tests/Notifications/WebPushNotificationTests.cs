using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

public sealed class WebPushNotificationTests : ServerTest
{
    [Fact]
    public async Task Approval_IsPushedEncryptedForTheSubscription_AndItsActionApproves()
    {
        await using var push = await FakePushService.StartAsync();
        var publicKey = JsonDocument.Parse(await Client.GetStringAsync("/api/notifications/webpush")).RootElement.GetProperty("publicKey").GetString();
        var (endpoint, p256dh, auth) = push.Subscribe();
        await Client.CreateChannelAsync("webpush", new { endpoint, p256dh, auth });
        var (sessionId, approvalId) = await Client.PendingApprovalAsync(NewProjectDir(), "curl https://example.com");

        var received = (await push.WaitForAsync(1)).Single();
        push.Refused.ShouldBe(0);
        received.VapidKey.ShouldBe(publicKey);
        received.Urgency.ShouldBe("high");
        var payload = received.Payload;
        payload.GetProperty("title").GetString().ShouldBe("ORANGE approval: Bash");
        payload.GetProperty("body").GetString()!.ShouldContain("curl https://example.com");
        payload.GetProperty("url").GetString()!.ShouldEndWith($"/sessions/{sessionId}");
        var approve = payload.GetProperty("actions").EnumerateArray().First(a => a.GetProperty("action").GetString() == "approve");
        approve.GetProperty("oneTap").GetBoolean().ShouldBeTrue();

        // What the service worker does for the Approve action: POST the signed link.
        using (var tapped = await NotificationTestKit.TapAsync(approve.GetProperty("url").GetString()!))
            tapped.StatusCode.ShouldBe(HttpStatusCode.OK);
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        (await Client.ApprovalAsync(approvalId)).GetProperty("decidedBy").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task Subscription_WithMalformedKeys_Is400NamingTheKey()
    {
        using var response = await Client.PostJsonAsync("/api/notifications/channels",
            """{"type": "webpush", "target": {"endpoint": "https://push.example/x", "p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}""");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("field").GetString().ShouldBe("target.p256dh");
    }
}
