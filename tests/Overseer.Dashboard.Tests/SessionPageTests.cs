using System.Text.Json;
using Microsoft.Playwright;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class SessionPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task DemoSession_StartedFromTheForm_ShowsEventsLive_AndTakesAnAnswer()
    {
        var dir = fixture.NewProjectDir();
        var project = await fixture.Api.CreateProjectAsync(dir, "demo-" + Path.GetFileName(dir));
        var page = await fixture.SignedInPageAsync();
        await page.ReloadAsync();

        await DashboardFixture.OpenNewSessionFormAsync(page);
        await page.SelectOptionAsync("select[name=projectId]", project.Id);
        await page.FillAsync("textarea[name=prompt]", "Show me around");
        await page.SelectOptionAsync("select[name=runtime]", "scripted");
        await page.ClickAsync("#new-session-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/[^/]+$"));

        // Events arrive while the page is open: nothing here reloads it.
        await page.Locator(".ev.text", new() { HasTextString = "its commands and their output are simulated" }).WaitForAsync();
        await page.Locator(".ev.text", new() { HasTextString = "Let me start by looking" }).WaitForAsync();
        (await page.Locator(".ev.tool .cmd").First.TextContentAsync()).ShouldBe("$ ls -la");
        await page.Locator(".ev.tool .tool-result").First.WaitForAsync();
        await DashboardFixture.ScreenshotAsync(page, "session-live");

        // The demo stops once at the safety gate, so a newcomer sees an approval.
        var approval = page.Locator("#pending article[data-kind=approval]");
        await approval.WaitForAsync();
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("ORANGE");
        await approval.Locator("button[data-action=approve]").ClickAsync();
        await page.Locator("#pending .item.resolved", new() { HasTextString = "approved by admin" }).WaitForAsync();

        var question = page.Locator("#pending article[data-kind=question]");
        await question.WaitForAsync();
        (await question.TextContentAsync())!.ShouldContain("Which part should I focus on first?");
        await question.Locator("label.choice", new() { HasTextString = "Tests" }).ClickAsync();
        await question.Locator("button[type=submit]").ClickAsync();

        await page.Locator("#pending .item.resolved", new() { HasTextString = "answered" }).WaitForAsync();
        await page.Locator(".ev.note.ok", new() { HasTextString = "Answered by admin: Tests" }).WaitForAsync();
        await page.Locator(".ev.text", new() { HasTextString = "Done. I looked around" }).WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("#session-status", new() { HasTextString = "idle" }).WaitForAsync();
        // The Edit tool call shows as a diff.
        (await page.Locator(".ev.tool .diff .d-add").First.TextContentAsync())!.ShouldContain("A small, well-tested service");
        (await page.Locator("#session-usage").TextContentAsync())!.ShouldContain("$0.0208");
        await DashboardFixture.ScreenshotAsync(page, "session");
    }

    [Fact]
    public async Task PendingToolCall_ApprovedOnThePage_RunsAndTheSessionContinues()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command = "curl https://example.com" }, output = "<html>example</html>" } },
            new { say = "Fetched the page." },
        });
        var session = await fixture.Api.CreateSessionAsync(project.Id, script);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        var approval = page.Locator("#pending article[data-kind=approval]");
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("ORANGE");
        (await approval.Locator(".cmd").TextContentAsync()).ShouldBe("$ curl https://example.com");
        await approval.Locator("button[data-action=approve]").ClickAsync();

        await page.Locator("#pending .item.resolved", new() { HasTextString = "approved by admin" }).WaitForAsync();
        await page.Locator(".ev.text", new() { HasTextString = "Fetched the page." }).WaitForAsync();
        (await page.Locator(".ev.tool .tool-result pre").Last.TextContentAsync()).ShouldBe("<html>example</html>");
        var decided = (await fixture.Api.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.ApprovalDecided);
        decided.Data.GetProperty("decision").GetString().ShouldBe("approved");
        decided.Data.GetProperty("by").GetString().ShouldBe("admin");
    }

    [Fact]
    public async Task RedApproval_IsDrawnAsDanger_AndApproveStaysDisabledUntilThePhraseMatches()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command = "git push --force origin main" }, output = "pushed" } },
        });
        var session = await fixture.Api.CreateSessionAsync(project.Id, script);
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        var approval = page.Locator("#pending article[data-kind=approval]");
        (await approval.Locator(".tier").TextContentAsync()).ShouldBe("RED");
        (await approval.GetAttributeAsync("class"))!.Split(' ').ShouldContain("danger", "RED is drawn as danger, not like ORANGE");
        (await approval.EvaluateAsync<string>("e => getComputedStyle(e).borderLeftColor")).ShouldBe("rgb(185, 28, 28)");
        var approve = approval.Locator("button[data-action=approve]");
        (await approve.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor")).ShouldBe("rgb(185, 28, 28)", "Approve is red on a RED approval");
        var label = await approval.Locator("label.confirm > span").BoundingBoxAsync();
        label!.Height.ShouldBeLessThan(30, "the phrase's label is one line, not three");

        var phrase = (await approval.Locator("input[name=confirm]").GetAttributeAsync("data-confirm-phrase"))!;
        (await approve.IsDisabledAsync()).ShouldBeTrue("nothing typed yet");
        await approval.Locator("input[name=confirm]").FillAsync("yes please");
        (await approve.IsDisabledAsync()).ShouldBeTrue("a wrong phrase");
        await approval.Locator("input[name=confirm]").FillAsync(phrase[..^1]);
        (await approve.IsDisabledAsync()).ShouldBeTrue("most of the phrase");
        await DashboardFixture.ScreenshotAsync(page, "approval-red");

        // The server checks again: a page that enabled the button anyway is told why, in words.
        await approval.Locator("input[name=confirm]").FillAsync("yes please");
        await approve.EvaluateAsync("b => b.disabled = false");
        await approve.ClickAsync();
        (await page.Locator("#toasts .toast").First.TextContentAsync())!.ShouldBe($"Type {phrase} exactly, as shown, to approve this RED action.");
        (await fixture.Api.GetSessionAsync(session.Id)).Status.ShouldBe(SessionStatus.Waiting);

        await approval.Locator("input[name=confirm]").FillAsync(phrase);
        (await approve.IsEnabledAsync()).ShouldBeTrue("the phrase typed exactly");
        await approve.ClickAsync();
        var resolved = page.Locator("#pending .item.resolved");
        await resolved.WaitForAsync();
        (await resolved.InnerTextAsync()).Trim().ShouldBe("✔ Bash approved by admin", "the result is worded once");
        await Poll.UntilAsync(() => page.Locator("#toasts .toast").CountAsync(), n => n == 0, what: "the error to go once the next action succeeded");
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        await page.Locator(".ev.note.ok", new() { HasTextString = "Tool call approved by admin" }).WaitForAsync();
        (await page.Locator(".ev.note.ok", new() { HasTextString = "Tool call approved by admin" }).InnerTextAsync()).ShouldNotContain("(approve)");
    }

    [Fact]
    public async Task FailedSession_OffersRetryInsteadOfTheComposer_AndRetryStartsTheSamePromptAgain()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id,
            JsonSerializer.Serialize(new object[] { new { say = "trying" }, new { fail = "the build server is down" } }), prompt: "Build the release");
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Failed);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        (await page.Locator("#composer").CountAsync()).ShouldBe(0, "a failed session takes no follow-up, so none is offered");
        var retry = page.Locator("#retry");
        (await retry.IsVisibleAsync()).ShouldBeTrue();
        (await retry.Locator("select[name=runtime]").InputValueAsync()).ShouldBe("scripted", "the failed session's runtime, when it can run");
        await retry.Locator("button[data-action=retry]").ClickAsync();

        await page.WaitForURLAsync(url => url.Contains("/sessions/", StringComparison.Ordinal) && !url.EndsWith(session.Id, StringComparison.Ordinal));
        var retried = await fixture.Api.GetSessionAsync(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        retried.Prompt.ShouldBe("Build the release");
        retried.ProjectId.ShouldBe(project.Id);
        retried.Id.ShouldNotBe(session.Id);
        await fixture.Api.WaitForStatusAsync(retried.Id, SessionStatus.Failed);
    }

    [Fact]
    public async Task Composer_SendsOnlyOnceTheAgentIsIdle_AndIsGoneOnceTheSessionEnded()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
        {
            new { say = "on it" },
            new { ask = new { question = "Carry on?", header = "Go", options = new[] { new { label = "Yes" } } } },
            new { say = "finished" },
        }));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        (await page.Locator("#composer button[type=submit]").IsDisabledAsync()).ShouldBeTrue("the agent waits on a question: a follow-up would be refused");
        await page.FillAsync("#composer textarea", "typed while it waits");

        var question = page.Locator("#pending article[data-kind=question]");
        await question.Locator("label.choice", new() { HasTextString = "Yes" }).ClickAsync();
        await question.Locator("button[type=submit]").ClickAsync();
        await page.Locator(".ev.text", new() { HasTextString = "finished" }).WaitForAsync();
        await page.Locator("#composer button[type=submit]:not([disabled])").WaitForAsync();
        (await page.InputValueAsync("#composer textarea")).ShouldBe("typed while it waits", "what was typed survives the live update");

        (await fixture.Api.PostAsync($"/api/sessions/{session.Id}/close", null)).EnsureSuccessStatusCode();
        await page.Locator("#composer-ended").WaitForAsync();
        (await page.Locator("#composer").CountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task PhaseReview_ShowsTheDiff_AndIsApprovedOnThePage()
    {
        var dir = fixture.NewProjectDir();
        await GitRepo.InitAsync(dir);
        var project = await fixture.Api.CreateProjectAsync(dir);
        var script = JsonSerializer.Serialize(new object[] { new { say = "working" }, new { sleep = 8000 }, new { say = "=== PHASE 1 COMPLETE ===" } });
        var session = await fixture.Api.CreateSessionAsync(project.Id, script);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        // The agent's work during the phase: the agent hears its prompt only once the phase's
        // starting point is taken, so whatever changes after its first words is in the review.
        await page.Locator(".ev.text", new() { HasTextString = "working" }).WaitForAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "parser.cs"), "class Parser {}\n");

        var review = page.Locator("#pending article[data-kind=review]");
        await review.WaitForAsync(new() { Timeout = 40_000 });
        (await review.Locator("header strong").TextContentAsync()).ShouldBe("Phase 1");
        (await review.Locator(".files").TextContentAsync())!.ShouldContain("parser.cs");
        (await review.Locator(".diff .d-add").AllTextContentsAsync()).ShouldContain(l => l.Contains("+class Parser {}"));
        await DashboardFixture.ScreenshotAsync(page, "review");

        await review.Locator("button[data-action=approve]").ClickAsync();
        await page.Locator("#pending .item.resolved", new() { HasTextString = "Phase 1 approved" }).WaitForAsync();
        var decided = (await fixture.Api.GetEventsAsync(session.Id)).Single(e => e.Type == EventTypes.ReviewDecided);
        decided.Data.GetProperty("decision").GetString().ShouldBe("approved");
    }

    [Fact]
    public async Task FollowUp_SentFromTheComposer_AppearsAndStartsATurn()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "first turn" } }));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        await page.FillAsync("#composer textarea", "and now the tests, please");
        await page.ClickAsync("#composer button[type=submit]");

        await page.Locator(".ev.user .bubble", new() { HasTextString = "and now the tests, please" }).WaitForAsync();
        // The bubble may come live before the post's answer: the composer empties on the answer.
        await Poll.UntilAsync(() => page.InputValueAsync("#composer textarea"), text => text.Length == 0, what: "the composer to empty once the message was taken");
        (await fixture.Api.GetEventsAsync(session.Id)).ShouldContain(e => e.Type == EventTypes.UserMessage && e.Data.GetProperty("text").GetString() == "and now the tests, please");
    }

    [Fact]
    public async Task Cancel_FromTheSessionHeader_AsksFirst_ThenStopsTheAgent()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "started" }, new { sleep = 60_000 } }));
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        await page.Locator(".ev.text", new() { HasTextString = "started" }).WaitForAsync();

        string? asked = null;
        page.Dialog += async (_, dialog) =>
        {
            asked = dialog.Message;
            await dialog.AcceptAsync();
        };
        await page.ClickAsync("#session-head button[data-command=cancel]");

        await page.Locator("#session-status", new() { HasTextString = "cancelled" }).WaitForAsync();
        asked.ShouldNotBeNull().ShouldContain("Cancel this session?");
        (await fixture.Api.GetSessionAsync(session.Id)).Status.ShouldBe(SessionStatus.Cancelled);
        (await page.Locator("#session-head button[data-command=cancel]").CountAsync()).ShouldBe(0, "a cancelled session offers no cancel");
    }
}
