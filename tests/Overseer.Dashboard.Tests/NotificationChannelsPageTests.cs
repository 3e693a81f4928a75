using System.Text.Json;
using Microsoft.Playwright;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// A person sets up their own notification channels on the notifications page: adds one, says
/// what it should carry (kinds, projects, lowest tier, quiet hours), and removes it; what they
/// chose is what the API (and so the dispatcher) holds.
/// </summary>
public sealed class NotificationChannelsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task AddChannel_ChoosePreferences_SavesThem_AndRemoveTakesItAway()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("notifications"));

        await page.ClickAsync("#add-channel summary");
        await page.SelectOptionAsync("#add-channel select[name=type]", "ntfy");
        await page.FillAsync("#add-channel input[name=name]", "Phone");
        await page.FillAsync("#add-channel input[name=topic]", "overseer-alerts");
        await page.ClickAsync("#add-channel button[type=submit]");
        await page.WaitForURLAsync(fixture.Url("notifications")); // HX-Refresh reloads the page
        await page.Locator("#channels li", new() { HasText = "Phone" }).WaitForAsync();

        var channel = await OnlyChannelAsync("ntfy");
        Absent(channel.GetProperty("preferences"), "kinds").ShouldBeTrue(); // everything by default

        var item = page.Locator("#channels li", new() { HasText = "Phone" });
        await item.Locator("summary").ClickAsync();
        // Every kind but approvals, whatever kinds there are.
        foreach (var box in await item.Locator("input[name=kinds]:not([value=approval])").AllAsync())
            await box.UncheckAsync();
        await item.Locator($"input[name=projects][value={project.Id}]").CheckAsync();
        await item.Locator("select[name=minTier]").SelectOptionAsync("RED");
        await item.Locator("input[name=quietStart]").FillAsync("22:00");
        await item.Locator("input[name=quietEnd]").FillAsync("07:00");
        await item.Locator("input[name=timeZone]").FillAsync("Europe/Berlin");
        await item.Locator("button[type=submit]").ClickAsync();
        await item.Locator(".save-status", new() { HasText = "Saved Phone." }).WaitForAsync();

        var preferences = (await OnlyChannelAsync("ntfy")).GetProperty("preferences");
        preferences.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()).ShouldBe(["approval"]);
        preferences.GetProperty("projects").EnumerateArray().Select(p => p.GetString()).ShouldBe([project.Id]);
        preferences.GetProperty("minTier").GetString().ShouldBe("RED");
        preferences.GetProperty("quietHours").GetProperty("start").GetString().ShouldBe("22:00");
        preferences.GetProperty("quietHours").GetProperty("end").GetString().ShouldBe("07:00");
        preferences.GetProperty("quietHours").GetProperty("timeZone").GetString().ShouldBe("Europe/Berlin");

        // A bad time zone is named, and nothing changes.
        await page.ReloadAsync();
        item = page.Locator("#channels li", new() { HasText = "Phone" });
        (await item.Locator("summary").TextContentAsync())!.ShouldContain("quiet 22:00–07:00");
        await item.Locator("summary").ClickAsync();
        await item.Locator("input[name=timeZone]").FillAsync("Mars/Olympus");
        await item.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#toasts", new() { HasText = "'Mars/Olympus' is not a known time zone" }).WaitForAsync();
        (await OnlyChannelAsync("ntfy")).GetProperty("preferences").GetProperty("quietHours").GetProperty("timeZone").GetString().ShouldBe("Europe/Berlin");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await item.Locator("button.danger").ClickAsync();
        await page.Locator("#channels li", new() { HasText = "Phone" }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await ChannelsAsync()).Where(c => c.GetProperty("type").GetString() == "ntfy").ShouldBeEmpty();
    }

    [Fact]
    public async Task AddWebhookChannel_ShowsItsSigningSecretOnce_AndABadUrlIsNamed()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("notifications"));
        await page.ClickAsync("#add-channel summary");
        await page.FillAsync("#add-channel input[name=name]", "Hooks");
        await page.FillAsync("#add-channel input[name=url]", "ftp://example.com/hook");
        await page.ClickAsync("#add-channel button[type=submit]");
        await page.Locator("#toasts", new() { HasText = "target.url" }).WaitForAsync();

        await page.FillAsync("#add-channel input[name=url]", "http://127.0.0.1:9/hook");
        await page.ClickAsync("#add-channel button[type=submit]");
        var secret = await page.Locator("#new-secret").InputValueAsync();
        secret.ShouldStartWith("whsec_");
        var channel = (await ChannelsAsync()).Single(c => c.GetProperty("name").GetString() == "Hooks");
        Absent(channel, "secret").ShouldBeTrue(); // never again
    }

    private static bool Absent(JsonElement o, string name) => !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null;

    private async Task<JsonElement> OnlyChannelAsync(string type) =>
        (await ChannelsAsync()).Single(c => c.GetProperty("type").GetString() == type);

    private async Task<List<JsonElement>> ChannelsAsync()
    {
        using var doc = JsonDocument.Parse(await fixture.Api.GetStringAsync("/api/notifications/channels"));
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(c => c.Clone())];
    }
}
