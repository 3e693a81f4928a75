using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard offering the anthropic runtime and driving a session of it (against the mock Messages API).</summary>
public sealed class AnthropicSessionPageTests(AnthropicDashboardFixture fixture) : IClassFixture<AnthropicDashboardFixture>
{
    [Fact]
    public async Task AnthropicSession_StartedFromTheForm_WaitsAtTheGate_IsApprovedOnThePage_AndShowsItsWork()
    {
        var dir = fixture.NewProjectDir();
        var project = await fixture.Api.CreateProjectAsync(dir, "api-app");
        fixture.Anthropic.Enqueue(MockReply.Of(
            new MockThinkingBlock("The page needs fetching first.", "sig-page"),
            new MockTextBlock("I'll fetch the page first."),
            new MockToolUseBlock("Bash", new System.Text.Json.Nodes.JsonObject { ["command"] = "curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt", ["description"] = "Fetch the page" }, null)));
        fixture.Anthropic.Enqueue(MockReply.Text("All done: the page is **fetched**."));
        var page = await fixture.SignedInPageAsync();
        await page.ReloadAsync();

        await DashboardFixture.OpenNewSessionFormAsync(page);
        var option = page.Locator("select[name=runtime] option[value=anthropic]");
        (await option.EvaluateAsync<bool>("o => o.disabled")).ShouldBeFalse("the server has the anthropic runtime, ready: the form offers it");
        (await option.GetAttributeAsync("title")).ShouldNotBeNull().ShouldContain("model claude-sonnet-4-5 is listed");
        await page.SelectOptionAsync("select[name=projectId]", project.Id);
        await page.FillAsync("textarea[name=prompt]", "Fetch the page");
        await page.SelectOptionAsync("select[name=runtime]", "anthropic");
        await page.ClickAsync("#new-session-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/[^/]+$"));
        var sessionId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        await page.Locator(".ev.text", new() { HasTextString = "I'll fetch the page first." }).WaitForAsync(new() { Timeout = 30_000 });
        var approval = page.Locator("#pending article[data-kind=approval]");
        await approval.WaitForAsync(new() { Timeout = 30_000 });
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("ORANGE");
        (await page.Locator(".ev.tool .cmd").First.TextContentAsync()).ShouldBe("$ curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt");
        File.Exists(Path.Combine(dir, "after-curl.txt")).ShouldBeFalse("nothing runs before the decision");

        await approval.Locator("button[data-action=approve]").ClickAsync();
        await page.Locator(".ev.text strong", new() { HasTextString = "fetched" }).WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("#session-status", new() { HasTextString = "idle" }).WaitForAsync();
        File.Exists(Path.Combine(dir, "after-curl.txt")).ShouldBeTrue("the approved command ran, in the session's sandbox");
        var events = await fixture.Api.GetEventsAsync(sessionId);
        events.ShouldContain(e => e.Type == EventTypes.AgentThinking);
        events.ShouldContain(e => e.Type == EventTypes.UsageUpdated);
        await DashboardFixture.ScreenshotAsync(page, "anthropic-session");
    }
}
