using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Overseer.Contracts;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed partial class SchedulesPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task NewScheduleForm_FromATemplate_ShowsTheNextFireTimes_AndRunNowShowsTheRunWithItsSession()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var name = "Upgrade " + Guid.NewGuid().ToString("N")[..6];
        var body = """{"name": "NAME", "category": "ops", "prompt": "Upgrade {{package}} in {{dir}}.", "defaults": {"runtime": "scripted"}}""";
        using (var created = await fixture.Api.PostJsonAsync("/api/templates", body.Replace("NAME", name, StringComparison.Ordinal)))
            created.EnsureSuccessStatusCode();
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync(fixture.Url("/schedules"));
        var form = page.Locator("#new-schedule-form");
        await form.Locator("select[name=projectId]").SelectOptionAsync(project.Id);
        // Choosing the template brings its parameters' inputs.
        await form.Locator("select[name=templateId]").SelectOptionAsync(new Microsoft.Playwright.SelectOptionValue { Label = name });
        await form.Locator("input[name='param.package']").WaitForAsync();
        await form.Locator("input[name='param.package']").FillAsync("left-pad");
        await form.Locator("input[name='param.dir']").FillAsync("web/");
        await form.Locator("input[name=name]").FillAsync("Nightly left-pad");

        // The next fire times follow the cron and zone as they are typed, in the zone's own clock.
        await form.Locator("input[name=timeZone]").FillAsync("Europe/Berlin");
        await form.Locator("input[name=cron]").FillAsync("30 2 * * *");
        var times = page.Locator("#cron-preview .next-runs li");
        await Poll.UntilAsync(() => times.AllTextContentsAsync(), t => t.Count == 5 && t.All(x => x.Contains(" 02:30:00 +0", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20), "five 02:30 fire times in Berlin");
        await form.Locator("input[name=cron]").FillAsync("30 25 * * *");
        await page.Locator("#cron-preview [data-problem=cron]").WaitForAsync();
        await form.Locator("input[name=cron]").FillAsync("30 2 * * *");
        await Poll.UntilAsync(() => times.CountAsync(), c => c == 5, TimeSpan.FromSeconds(20), "the fire times again");
        await DashboardFixture.ScreenshotAsync(page, "schedule-new");

        await form.Locator("button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(ScheduleUrl());
        (await page.Locator("h1").TextContentAsync()).ShouldBe("Nightly left-pad");
        (await page.Locator("#cron-preview .next-runs li").CountAsync()).ShouldBe(5);
        (await page.Locator("#no-runs").CountAsync()).ShouldBe(1);
        var scheduleId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        await page.Locator("#run-schedule").ClickAsync();
        var run = page.Locator("#runs tr[data-run]");
        await run.WaitForAsync();
        (await run.Locator("td").Nth(1).TextContentAsync()).ShouldBe("manual");
        var sessionLink = run.Locator("a.run-session");
        var href = (await sessionLink.GetAttributeAsync("href")).ShouldNotBeNull();
        var session = await fixture.Api.GetSessionAsync(href["/sessions/".Length..]);
        session.Prompt.ShouldBe("Upgrade left-pad in web/.");
        session.ScheduleId.ShouldBe(scheduleId);
        await DashboardFixture.ScreenshotAsync(page, "schedule-runs");

        // The run's session says where it came from, and the board marks it.
        await sessionLink.ClickAsync();
        await page.Locator("#session-chain a[href='/schedules/" + scheduleId + "']").WaitForAsync();
        await page.GotoAsync(fixture.Url("/"));
        await page.Locator($"#card-{session.Id} [data-badge=scheduled]").WaitForAsync();

        // The list shows it with its next run and its last run's session.
        await page.GotoAsync(fixture.Url("/schedules"));
        var row = page.Locator($"#schedules tr[data-schedule='{scheduleId}']");
        (await row.Locator("a.run-session").GetAttributeAsync("href")).ShouldBe(href);
        (await row.Locator("time").CountAsync()).ShouldBe(1);
        var listed = (await fixture.Api.GetFromJsonAsync($"/api/schedules/{scheduleId}", OverseerJson.Default.ScheduleDto))!;
        listed.Parameters["package"].GetString().ShouldBe("left-pad");
        listed.TimeZone.ShouldBe("Europe/Berlin");
    }

    [GeneratedRegex("/schedules/sch_[a-z0-9]+$")]
    private static partial Regex ScheduleUrl();
}
