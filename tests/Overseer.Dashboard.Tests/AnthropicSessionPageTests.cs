using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.OpenAI;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard offering Overseer's own runtimes (anthropic, openai, router) and driving sessions of them against the mock APIs.</summary>
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

    [Fact]
    public async Task NewSessionForm_OffersTheRuntimesTheServerHas_AndARouterSessionShowsWhereItsTurnWent()
    {
        var dir = fixture.NewProjectDir();
        var project = await fixture.Api.CreateProjectAsync(dir, "router-app");
        fixture.Local.Enqueue(MockChatReply.Say("It is **4**."));
        var page = await fixture.SignedInPageAsync();
        await page.ReloadAsync();

        await DashboardFixture.OpenNewSessionFormAsync(page);
        var offered = await page.Locator("select[name=runtime] option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)");
        offered.Order(StringComparer.Ordinal).ShouldBe(["anthropic", "claude-code", "openai", "router", "scripted"]);
        var openai = page.Locator("select[name=runtime] option[value=openai]");
        (await openai.EvaluateAsync<bool>("o => o.disabled")).ShouldBeFalse("the local server answers and lists the model: the form offers it");
        (await openai.GetAttributeAsync("title")).ShouldNotBeNull().ShouldContain($"model {AnthropicDashboardFixture.LocalModel} is listed");
        (await page.Locator("select[name=runtime] option[value=router]").GetAttributeAsync("title")).ShouldNotBeNull().ShouldContain("route local (openai");

        await page.SelectOptionAsync("select[name=projectId]", project.Id);
        await page.FillAsync("textarea[name=prompt]", "What is 2+2?");
        await page.SelectOptionAsync("select[name=runtime]", "router");
        await page.ClickAsync("#new-session-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/[^/]+$"));

        await page.Locator(".ev.text strong", new() { HasTextString = "4" }).WaitForAsync(new() { Timeout = 30_000 });
        var routed = page.Locator(".ev.routed");
        await routed.WaitForAsync();
        (await routed.TextContentAsync()).ShouldNotBeNull().ShouldContain($"routed to local (openai · {AnthropicDashboardFixture.LocalModel}): no rule matched; the default route");
        fixture.Anthropic.ConversationRequests.ShouldBeEmpty("a simple question stays on the local model");
        await DashboardFixture.ScreenshotAsync(page, "router-session");
    }
}
