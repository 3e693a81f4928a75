using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// The dashboard's service worker with a real push: the server encrypts it for a subscription
/// the push service stub holds, the stub decrypts it as a browser would, and Chromium's service
/// worker shows it and acts on its Approve action.
/// </summary>
public sealed class PushNotificationTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task PushedApproval_ShowsWithItsActions_AndApproveFromTheNotificationLetsTheSessionGoOn()
    {
        await using var push = await FakePushService.StartAsync();
        var (endpoint, p256dh, auth) = push.Subscribe();
        var page = await SignedInAtTheServerAsync();
        await page.GotoAsync(fixture.Server.Address + "notifications");
        // What push.js posts once pushManager.subscribe() resolves: the subscription's toJSON(), with the page's anti-forgery token.
        var registered = await page.EvaluateAsync<int>(
            "async sub => (await fetch('/ui/notifications/push', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': document.getElementById('enable-push').dataset.csrf }, body: JSON.stringify(sub) })).status",
            new { endpoint, expirationTime = (object?)null, keys = new { p256dh, auth } });
        registered.ShouldBe(204);
        await page.ReloadAsync();
        (await page.Locator("#channels li").TextContentAsync())!.ShouldContain("webpush");

        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "ran" } },
            new { say = "after" },
        }));
        var payload = (await push.WaitForAsync(1)).Single().Payload;
        // The page lists it as sent once the server has recorded the push service's answer.
        await Poll.UntilAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("#notifications tbody tr").First.GetAttributeAsync("data-status");
        }, status => status == "sent", TimeSpan.FromSeconds(10), "the notification to show as sent");
        await using var worker = await ServiceWorkerConsole.AttachAsync(page);

        await worker.EvaluateAsync($"self.overseerShowPush({payload.GetRawText()})");
        var shown = await worker.EvaluateAsync("(async () => (await self.registration.getNotifications()).map(n => ({ title: n.title, body: n.body, actions: n.actions.map(a => a.title) })))()");
        shown.GetArrayLength().ShouldBe(1);
        shown[0].GetProperty("title").GetString().ShouldBe("ORANGE approval: Bash");
        shown[0].GetProperty("body").GetString()!.ShouldContain("curl https://example.com");
        shown[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()).ShouldBe(["Approve", "Deny"]);

        // What the worker's notificationclick handler runs when Approve is tapped.
        var status = await worker.EvaluateAsync("(async () => { const [n] = await self.registration.getNotifications(); return await self.overseerNotificationAction(n, 'approve'); })()");
        status.GetInt32().ShouldBe(200);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var approval = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/approvals?sessionId={session.Id}")).RootElement.GetProperty("items")[0];
        approval.GetProperty("status").GetString().ShouldBe("approved");
        approval.GetProperty("decidedBy").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task NotifyThisDevice_WhereTheBrowserHasNoPushService_SaysWhy_AndRegistersNothing()
    {
        // Headless Chromium has no push service to register with: the button must say so.
        var page = await SignedInAtTheServerAsync();
        await page.GotoAsync(fixture.Server.Address + "notifications");
        var before = await page.Locator("#channels li").CountAsync();
        await page.ClickAsync("#enable-push");
        var said = await Poll.UntilAsync(() => page.Locator("#push-status").TextContentAsync(), t => !string.IsNullOrEmpty(t), TimeSpan.FromSeconds(20), "the subscription's outcome");
        said.ShouldNotBeNull();
        said.ShouldStartWith("Could not subscribe: ");
        (await page.Locator("#enable-push").IsEnabledAsync()).ShouldBeTrue();
        await page.ReloadAsync();
        (await page.Locator("#channels li").CountAsync()).ShouldBe(before);
    }

    /// <summary>Signed in at the server's own origin (not the relay), which the action links point to.</summary>
    private async Task<IPage> SignedInAtTheServerAsync()
    {
        var origin = fixture.Server.Address.ToString().TrimEnd('/');
        var page = await fixture.NewPageAsync();
        await page.Context.GrantPermissionsAsync(["notifications"], new BrowserContextGrantPermissionsOptions { Origin = origin });
        await page.GotoAsync(origin + "/login");
        await page.FillAsync("#token", fixture.Server.Token);
        await page.ClickAsync("#token-form button[type=submit]");
        await page.WaitForURLAsync(origin + "/");
        return page;
    }
}
