using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class BudgetsPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static string Script(params (string Said, decimal Cost)[] turns) => JsonSerializer.Serialize(
        turns.SelectMany(t => new object[] { new { say = t.Said }, new { usage = new { inputTokens = 1000, outputTokens = 100, costUsd = t.Cost } } }));

    private async Task SetProjectDayAsync(string projectId, decimal usd)
    {
        using var response = await fixture.Api.PutAsync("/api/budgets", new StringContent(
            JsonSerializer.Serialize(new { scope = "project", target = projectId, period = "day", limitUsd = usd }), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task BudgetsPage_SetsAProjectsDailyLimit_AndShowsItsSpend()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "ledger");
        var session = await fixture.Api.CreateSessionAsync(project.Id, Script(("done", 0.25m)));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();

        await page.Locator("header nav a", new() { HasTextString = "Budgets" }).ClickAsync();
        await page.WaitForURLAsync(fixture.Url("/budgets"));
        var form = page.Locator("#set-budget-form");
        if (!await form.IsVisibleAsync())
            await page.Locator("details.panel > summary", new() { HasTextString = "Set a budget" }).ClickAsync();
        await form.Locator("select[name=scope]").SelectOptionAsync("project");
        await form.Locator("select[name=period]").SelectOptionAsync("day");
        await form.Locator("select[name=projectId]").SelectOptionAsync(project.Id);
        await form.Locator("input[name=limitUsd]").FillAsync("1");
        await form.Locator("button[type=submit]").ClickAsync();

        var row = page.Locator("#budgets tr[data-scope=project]", new() { HasTextString = "ledger" });
        await row.WaitForAsync();
        (await row.Locator("td[data-label=Spent]").InnerTextAsync()).ShouldContain("$0.25 of $1.00 · 25%");
        (await row.Locator("meter").GetAttributeAsync("value")).ShouldBe("25");
        (await row.GetAttributeAsync("data-state")).ShouldBe("ok");
        (await row.Locator("td[data-label=Period]").InnerTextAsync()).ShouldBe("day " + DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await DashboardFixture.ScreenshotAsync(page, "budgets");

        var budgets = (await fixture.Api.GetFromJsonAsync("/api/budgets", OverseerJson.Default.ListResponseBudgetDto))!.Items;
        budgets.ShouldContain(b => b.Scope == "project" && b.Target == project.Id && b.LimitUsd == 1m && b.SpentUsd == 0.25m && b.UpdatedBy == "admin");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button", new() { HasTextString = "Remove" }).ClickAsync();
        await row.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [Fact]
    public async Task PausedSession_ShowsWhichBudget_AndApproveOverrunThenRaiseLimitLetItGoOn()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "capped");
        await SetProjectDayAsync(project.Id, 1m);
        var session = await fixture.Api.CreateSessionAsync(project.Id, Script(("a", 0.6m), ("b", 0.6m), ("c", 0.3m), ("d", 0.3m)));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Paused);
        var page = await fixture.SignedInPageAsync();

        var card = page.Locator($"#card-{session.Id}");
        (await card.Locator(".card-budget").InnerTextAsync()).ShouldContain("Budget spent: paused");
        await card.ClickAsync();
        await page.WaitForURLAsync(fixture.Url($"/sessions/{session.Id}"));

        var banner = page.Locator("#budget-banner");
        (await banner.InnerTextAsync()).ShouldContain("$1.20 of the daily budget of project capped ($1.00) is spent (120%");
        await DashboardFixture.ScreenshotAsync(page, "budget-paused-session");

        // $0.20 more: c (to $1.50) is past it, so the session pauses again after c.
        await banner.Locator("#approve-overrun-form input[name=amountUsd]").FillAsync("0.2");
        await banner.Locator("#approve-overrun-form button[type=submit]").ClickAsync();
        await page.Locator(".ev.text", new() { HasTextString = "c" }).Last.WaitForAsync();
        await page.Locator("#budget-banner", new() { HasTextString = "$1.50 of the daily budget" }).WaitForAsync();
        (await page.Locator("#session-status").InnerTextAsync()).ShouldBe("paused");
        (await page.Locator(".ev.state", new() { HasTextString = "overrun approved by admin: $0.20 more" }).CountAsync()).ShouldBe(1);

        await banner.Locator("#raise-budget-form input[name=limitUsd]").FillAsync("3");
        await banner.Locator("#raise-budget-form button[type=submit]").ClickAsync();

        await page.Locator("#session-status", new() { HasTextString = "idle" }).WaitForAsync();
        (await banner.IsHiddenAsync()).ShouldBeTrue();
        (await page.Locator(".ev.text").AllInnerTextsAsync()).Select(t => t.Trim()).ShouldBe(["a", "b", "c", "d"]);
        var budget = (await fixture.Api.GetFromJsonAsync($"/api/budgets?projectId={project.Id}", OverseerJson.Default.ListResponseBudgetDto))!.Items.ShouldHaveSingleItem();
        (budget.LimitUsd, budget.SpentUsd).ShouldBe((3m, 1.80m));
    }

    [Fact]
    public async Task BudgetPages_At375PixelsWide_FitWithoutSidewaysScrolling()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "phone-budget");
        await SetProjectDayAsync(project.Id, 0.5m);
        var session = await fixture.Api.CreateSessionAsync(project.Id, Script(("spent", 0.75m)));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Paused);
        var page = await fixture.SignedInPageAsync(375, 812);

        foreach (var path in new[] { "/budgets", $"/sessions/{session.Id}", "/" })
        {
            await page.GotoAsync(fixture.Url(path));
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            overflow.ShouldBeLessThanOrEqualTo(0, customMessage: $"{path} scrolls sideways by {overflow}px at 375px");
        }
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        (await page.Locator("#approve-overrun-form button[type=submit]").IsVisibleAsync()).ShouldBeTrue();
        (await page.Locator("#raise-budget-form button[type=submit]").IsVisibleAsync()).ShouldBeTrue();
        await DashboardFixture.ScreenshotAsync(page, "budget-paused-375px");
    }

    [Fact]
    public async Task TemplateRunForm_PredictsFromTheTemplatesRuns()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "templated");
        using var created = await fixture.Api.PostJsonAsync("/api/templates", """{"name": "Costly", "prompt": "Do the costly thing.", "defaults": {"budgetUsd": 4}}""");
        var template = (await created.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!;
        foreach (var cost in new[] { 0.50m, 1.50m })
        {
            using var run = await fixture.Api.PostJsonAsync($"/api/templates/{template.Id}/run",
                JsonSerializer.Serialize(new { projectId = project.Id, runtime = "scripted", script = JsonDocument.Parse(Script(("x", cost))).RootElement }));
            run.EnsureSuccessStatusCode();
            await fixture.Api.WaitForStatusAsync((await run.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!.Id, SessionStatus.Idle);
        }
        var page = await fixture.SignedInPageAsync();

        await page.GotoAsync(fixture.Url($"/templates/{template.Id}"));
        await page.Locator("#run-template-form select[name=projectId]").SelectOptionAsync(project.Id);

        await page.Locator("#run-template-prediction", new() { HasTextString = "of this template" }).WaitForAsync();
        (await page.Locator("#run-template-prediction").InnerTextAsync()).ShouldBe("Predicted cost: median $1.00, 90th percentile $1.50 (last 2 runs of this template).");
        (await page.InputValueAsync("#run-template-form input[name=budgetUsd]")).ShouldBe("4", "the template's budget is the run's default");
    }

    [Fact]
    public async Task NewSessionForm_ShowsThePredictedCost_NoHistoryForANewProject()
    {
        var fresh = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "fresh");
        var used = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "used");
        foreach (var cost in new[] { 0.10m, 0.30m, 0.20m })
            await fixture.Api.WaitForStatusAsync((await fixture.Api.CreateSessionAsync(used.Id, Script(("x", cost)))).Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();
        await DashboardFixture.OpenNewSessionFormAsync(page);
        var form = page.Locator("#new-session-form");
        var prediction = page.Locator("#new-session-prediction");

        await form.Locator("select[name=projectId]").SelectOptionAsync(fresh.Id);
        await page.Locator("#new-session-prediction", new() { HasTextString = "no history yet" }).WaitForAsync();
        await form.Locator("select[name=projectId]").SelectOptionAsync(used.Id);
        await page.Locator("#new-session-prediction", new() { HasTextString = "median" }).WaitForAsync();
        (await prediction.InnerTextAsync()).ShouldBe("Predicted cost: median $0.20, 90th percentile $0.30 (last 3 runs of this project).");

        await form.Locator("textarea[name=prompt]").FillAsync("Capped work.");
        await form.Locator("select[name=runtime]").SelectOptionAsync("scripted");
        await form.Locator("input[name=budgetUsd]").FillAsync("2.5");
        await form.GetByRole(AriaRole.Button, new() { Name = "Start session" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/s_[a-z0-9]+$"));
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var budgets = (await fixture.Api.GetFromJsonAsync("/api/budgets?scope=session", OverseerJson.Default.ListResponseBudgetDto))!.Items;
        budgets.ShouldContain(b => b.Target == sessionId && b.LimitUsd == 2.5m);
    }
}
