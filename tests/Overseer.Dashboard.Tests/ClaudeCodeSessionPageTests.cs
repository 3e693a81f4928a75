using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard driving a real Claude Code CLI session (against the mock Anthropic API).</summary>
public sealed class ClaudeCodeSessionPageTests(ClaudeDashboardFixture fixture) : IClassFixture<ClaudeDashboardFixture>
{
    [Fact]
    public async Task ClaudeSession_StartedFromTheForm_WaitsAtTheGate_IsApprovedOnThePage_AndTakesAFollowUp()
    {
        var dir = fixture.NewProjectDir();
        var project = await fixture.Api.CreateProjectAsync(dir, "claude-app");
        fixture.Anthropic.Enqueue(MockReply.TextThenToolUse("I'll fetch the page first.", "Bash",
            new { command = "curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt", description = "Fetch the page" }));
        fixture.Anthropic.Enqueue(MockReply.Text("All done: the page is **fetched**."));
        var page = await fixture.SignedInPageAsync();
        await page.ReloadAsync();

        await DashboardFixture.OpenNewSessionFormAsync(page);
        await page.SelectOptionAsync("select[name=projectId]", project.Id);
        await page.FillAsync("textarea[name=prompt]", "Fetch the page");
        await page.SelectOptionAsync("select[name=runtime]", "claude-code");
        await page.ClickAsync("#new-session-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/[^/]+$"));
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        await page.Locator(".ev.text", new() { HasTextString = "I'll fetch the page first." }).WaitForAsync(new() { Timeout = 60_000 });
        var approval = page.Locator("#pending article[data-kind=approval]");
        await approval.WaitForAsync(new() { Timeout = 30_000 });
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("ORANGE");
        (await page.Locator(".ev.tool .cmd").First.TextContentAsync()).ShouldBe("$ curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt");
        File.Exists(Path.Combine(dir, "after-curl.txt")).ShouldBeFalse("nothing runs before the decision");
        await DashboardFixture.ScreenshotAsync(page, "claude-session-approval");

        await approval.Locator("button[data-action=approve]").ClickAsync();
        await page.Locator(".ev.text strong", new() { HasTextString = "fetched" }).WaitForAsync(new() { Timeout = 60_000 });
        await page.Locator(".ev.tool .tool-result").First.WaitForAsync();
        await page.Locator("#session-status", new() { HasTextString = "idle" }).WaitForAsync();
        File.Exists(Path.Combine(dir, "after-curl.txt")).ShouldBeTrue("the approved command ran");

        fixture.Anthropic.Enqueue(MockReply.Text("Second answer, from the same conversation."));
        await page.FillAsync("#composer textarea", "anything else?");
        await page.ClickAsync("#composer button[type=submit]");
        await page.Locator(".ev.text", new() { HasTextString = "Second answer, from the same conversation." }).WaitForAsync(new() { Timeout = 60_000 });
        var events = await fixture.Api.GetEventsAsync(sessionId);
        events.Count(e => e.Type == EventTypes.AgentStarted).ShouldBe(1, "the follow-up went to the same warm claude process");
        await DashboardFixture.ScreenshotAsync(page, "claude-session");
    }
}
