using System.Text.Json;
using Microsoft.Playwright;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

public sealed class PromptOptimizerPageTests(OptimizerDashboardFixture fixture) : IClassFixture<OptimizerDashboardFixture>
{
    private const string Suggestion = "Fix the failing parser test in tests/parser_test.go.\n\nDone when go test ./... passes.";

    [Fact]
    public async Task NewSessionForm_ImprovePrompt_ShowsTheDiff_AcceptFillsThePrompt_DiscardLeavesIt()
    {
        await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var page = await fixture.SignedInPageAsync();
        await DashboardFixture.OpenNewSessionFormAsync(page);
        var form = page.Locator("#new-session-form");
        var prompt = form.Locator("textarea[name=prompt]");
        await prompt.FillAsync("fix the parser test");

        fixture.Anthropic.Enqueue(MockReply.Text(Suggestion));
        await form.Locator("[data-improve-prompt]").ClickAsync();
        var suggestion = form.Locator(".suggestion");
        await suggestion.WaitForAsync();
        (await suggestion.Locator("del").AllTextContentsAsync()).ShouldContain("fix");
        (await suggestion.Locator("ins").First.TextContentAsync()).ShouldBe("Fix");
        (await suggestion.Locator("[data-diff]").TextContentAsync())!.ShouldContain("parser test");
        (await prompt.InputValueAsync()).ShouldBe("fix the parser test", "nothing changes before the person accepts");
        await DashboardFixture.ScreenshotAsync(page, "prompt-optimizer-diff");

        await suggestion.Locator("[data-accept-suggestion]").ClickAsync();
        (await prompt.InputValueAsync()).ShouldBe(Suggestion);
        (await form.Locator(".suggestion").CountAsync()).ShouldBe(0);

        fixture.Anthropic.Enqueue(MockReply.Text("Something else entirely."));
        await form.Locator("[data-improve-prompt]").ClickAsync();
        await suggestion.WaitForAsync();
        await suggestion.Locator("[data-discard-suggestion]").ClickAsync();
        (await form.Locator(".suggestion").CountAsync()).ShouldBe(0);
        (await prompt.InputValueAsync()).ShouldBe(Suggestion, "a discarded suggestion changes nothing");

        // Asking for a suggestion sent nothing to any agent: no session was started.
        var sessions = JsonDocument.Parse(await fixture.Api.GetStringAsync("/api/sessions")).RootElement.GetProperty("items");
        sessions.GetArrayLength().ShouldBe(0);
        fixture.Anthropic.Requests.ShouldContain(r => r.Messages.Single()!["content"]!.GetValue<string>().Contains("<prompt>\nfix the parser test\n</prompt>"),
            "the form's prompt went to the optimiser");
    }

    [Fact]
    public async Task TemplateForm_ImprovePrompt_AcceptPutsTheSuggestionInTheTemplatesPrompt()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/templates"));
        await page.ClickAsync("details.panel > summary");
        var form = page.Locator("#new-template-form");
        var prompt = form.Locator("textarea[name=prompt]");
        await prompt.FillAsync("write tests for {{file}}");

        fixture.Anthropic.Enqueue(MockReply.Text("Write unit tests for {{file}} covering its edge cases."));
        await form.Locator("[data-improve-prompt]").ClickAsync();
        await form.Locator(".suggestion").WaitForAsync();
        string.Concat(await form.Locator(".suggestion ins").AllTextContentsAsync()).ShouldContain("unit");
        await form.Locator("[data-accept-suggestion]").ClickAsync();
        (await prompt.InputValueAsync()).ShouldBe("Write unit tests for {{file}} covering its edge cases.");
    }
}
