using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class SearchAndKeyboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static readonly string CurlScript = JsonSerializer.Serialize(new object[]
    {
        new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "<html>example</html>" } },
        new { say = "Fetched the page." },
    });

    [Fact]
    public async Task Search_WordFromTheTranscript_TypedInTheHeaderBox_FindsTheSession()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var wanted = await fixture.Api.CreateSessionAsync(project.Id, "[{\"say\": \"The capybara migration is finished.\"}]", "Migrate the rodents");
        var other = await fixture.Api.CreateSessionAsync(project.Id, "[{\"say\": \"Nothing to see.\"}]", "Unrelated work");
        await fixture.Api.WaitForStatusAsync(wanted.Id, SessionStatus.Idle);
        await fixture.Api.WaitForStatusAsync(other.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();

        await page.Keyboard.PressAsync("/");
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("search-box");
        await page.Keyboard.TypeAsync("capybara");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(fixture.Url("/search?q=capybara"));

        var hits = page.Locator(".search-hit");
        (await hits.CountAsync()).ShouldBe(1);
        (await hits.GetAttributeAsync("data-session")).ShouldBe(wanted.Id);
        (await hits.Locator("mark").TextContentAsync()).ShouldBe("capybara");
        (await hits.Locator(".snippet").TextContentAsync())!.ShouldContain("The capybara migration is finished.");
        await DashboardFixture.ScreenshotAsync(page, "search");
        await hits.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/sessions/{wanted.Id}#seq-\\d+$"));
        await page.Locator(".ev.text.kbd-focus", new() { HasTextString = "capybara" }).WaitForAsync();
    }

    [Fact]
    public async Task Search_HostileQueries_AnswerAPageNeverAServerError()
    {
        var page = await fixture.SignedInPageAsync();
        foreach (var q in new[] { "\"", "*", "NEAR(a b", "a OR AND", "'; --", "\"*\"" })
        {
            var response = await page.GotoAsync(fixture.Url("/search?q=" + Uri.EscapeDataString(q)));
            response!.Status.ShouldBeOneOf([200, 400], q);
            (await page.Locator("#search-query").InputValueAsync()).ShouldBe(q.Trim());
        }
        (await page.Locator(".search-page [role=alert]").TextContentAsync())!.ShouldContain("no words to search for");
    }

    [Fact]
    public async Task KeyboardShortcut_ApprovesTheNextWaitingItem_OnlyAfterConfirmation()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, CurlScript);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        var approval = page.Locator("#pending article[data-kind=approval]");
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("ORANGE");

        // Typing in the composer is text, not shortcuts.
        await page.Keyboard.PressAsync("c");
        await page.Keyboard.TypeAsync("and a");
        (await page.Locator("#composer textarea").InputValueAsync()).ShouldBe("and a");
        (await page.Locator("#kbd-confirm").CountAsync()).ShouldBe(0);
        await page.Locator("#composer textarea").BlurAsync();

        await page.Keyboard.PressAsync("n");
        (await approval.GetAttributeAsync("class"))!.ShouldContain("kbd-focus");
        await page.Keyboard.PressAsync("a");
        var confirm = page.Locator("#kbd-confirm");
        (await confirm.TextContentAsync())!.ShouldContain("Approve ORANGE Bash $ curl https://example.com?");
        // Anything but yes cancels: the item is still waiting.
        await page.Keyboard.PressAsync("x");
        (await confirm.IsHiddenAsync()).ShouldBeTrue();
        (await fixture.Api.GetSessionAsync(session.Id)).Pending.Approvals.ShouldBe(1);

        await page.Keyboard.PressAsync("a");
        await page.Keyboard.PressAsync("y");

        await page.Locator("#pending .item.resolved", new() { HasTextString = "approved by admin" }).WaitForAsync();
        await page.Locator(".ev.text", new() { HasTextString = "Fetched the page." }).WaitForAsync();
        var decided = (await fixture.Api.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.ApprovalDecided);
        decided.Data.GetProperty("decision").GetString().ShouldBe("approved");
    }

    [Fact]
    public async Task QuestionMark_ShowsTheShortcutsAndEscapeClosesThem()
    {
        var page = await fixture.SignedInPageAsync();
        // Not the board: with no sessions yet its new-session prompt has the focus, and typing there is text.
        await page.GotoAsync(fixture.Url("/stats"));
        await page.Keyboard.PressAsync("?");
        var help = page.Locator("#shortcut-help");
        await help.WaitForAsync();
        var text = (await help.TextContentAsync())!;
        foreach (var key in new[] { "j / n", "k", "a", "d", "c", "/", "?" })
            text.ShouldContain(key);
        await page.Keyboard.PressAsync("Escape");
        (await help.IsHiddenAsync()).ShouldBeTrue();
    }

    [Fact]
    public async Task ToolCall_BeforeItsResult_ShowsElapsedTimeThenTheResultLive()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, CurlScript);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        var running = page.Locator(".ev.tool .tool-running");
        await page.WaitForFunctionAsync("() => /waiting for a decision… \\d+ s/.test(document.querySelector('.ev.tool .tool-running').textContent)");
        var first = await running.TextContentAsync();
        // It ticks on its own, from the call's time.
        await page.WaitForFunctionAsync("t => document.querySelector('.ev.tool .tool-running').textContent !== t", first);

        var approvalId = (await fixture.Api.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.ApprovalRequested).Data.GetProperty("approvalId").GetString();
        (await fixture.Api.PostJsonAsync($"/api/approvals/{approvalId}/approve", "{}")).EnsureSuccessStatusCode();

        await page.Locator(".ev.tool .tool-result summary", new() { HasTextString = "Output · 1 line" }).WaitForAsync();
        (await running.CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task ToolResult_LongOutput_IsCollapsedWithItsSize()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var output = string.Join('\n', Enumerable.Range(1, 214).Select(i => $"line {i}"));
        var script = JsonSerializer.Serialize(new object[] { new { tool = new { name = "Bash", input = new { command = "ls" }, output } } });
        var session = await fixture.Api.CreateSessionAsync(project.Id, script);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        var result = page.Locator(".ev.tool .tool-result");
        (await result.Locator("summary").TextContentAsync()).ShouldBe("Output · 214 lines");
        (await result.GetAttributeAsync("open")).ShouldBeNull();
    }
}
