using System.Net.Http.Json;
using Overseer.TestKit;
using Overseer.TestKit.Monitoring;

namespace Overseer.Dashboard.Tests;

/// <summary>The Ops page in Chromium: a check goes red and back over the live stream, its alert comes and goes, and a person acknowledges it.</summary>
public sealed class OpsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private async Task RunCheckAsync(string id)
    {
        using var response = await fixture.Api.PostAsync($"/api/checks/{id}/run", null);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task OpsPage_CheckGoesRedAndBack_LiveWithItsAlert_AndAcknowledgeShowsWho()
    {
        await using var service = await WatchedService.StartAsync();
        var id = "web-" + Guid.NewGuid().ToString("N")[..6];
        (await fixture.Api.PostAsJsonAsync("/api/checks", new { id, name = id, kind = "http", tier = "background", target = service.Url.ToString() })).EnsureSuccessStatusCode();
        (await fixture.Api.PostAsJsonAsync("/api/alert-rules", new { name = id + " down", check = id, when = "down", severity = "critical" })).EnsureSuccessStatusCode();
        await RunCheckAsync(id);

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/ops"));
        var row = page.Locator($"#check-{id}");
        (await row.GetAttributeAsync("data-status")).ShouldBe("ok");
        (await row.Locator("svg.sparkline polyline").CountAsync()).ShouldBe(1);
        (await page.Locator("#no-alerts").CountAsync()).ShouldBe(1);

        // The service stops: the next run turns the check red and raises its alert, without a reload.
        await service.StopAsync();
        await RunCheckAsync(id);
        await page.Locator($"#check-{id}[data-status=failing]").WaitForAsync();
        (await row.Locator(".pill").TextContentAsync()).ShouldBe("failing");
        (await row.Locator("svg.sparkline rect.spark-fail").CountAsync()).ShouldBeGreaterThan(0);
        var alert = page.Locator($"#firing-alerts tr[data-rule='{id}-down']");
        await alert.WaitForAsync();
        (await alert.TextContentAsync())!.ShouldContain($"{id} is down");
        await DashboardFixture.ScreenshotAsync(page, "ops-failing");

        await alert.Locator("button", new() { HasText = "Acknowledge" }).ClickAsync();
        await Poll.UntilAsync(() => alert.Locator(".person").TextContentAsync(), t => t?.Trim() == "acknowledged by admin", TimeSpan.FromSeconds(20), "the acknowledgement on the row");

        // Back up: green again, and two passing runs in a row resolve the alert.
        await service.StartAgainAsync();
        await RunCheckAsync(id);
        await page.Locator($"#check-{id}[data-status=ok]").WaitForAsync();
        await RunCheckAsync(id);
        await alert.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });
        var resolved = await page.Locator("#resolved-alerts li").First.TextContentAsync();
        resolved.ShouldNotBeNull().ShouldContain($"{id} down");
        resolved.ShouldContain("resolved");
        (await page.Locator($"#check-{id} .pill").TextContentAsync()).ShouldBe("ok");
        await DashboardFixture.ScreenshotAsync(page, "ops-resolved");
    }
}
