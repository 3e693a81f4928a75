using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>Seed 003's tasks on the dashboard: a draft saved from the board, edited, started, its progress live; another deleted.</summary>
public sealed class TasksPageTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static string SessionIdOf(IPage page) => page.Url[(page.Url.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task Draft_SavedEditedAndStartedOnTheDashboard_RunsTheEditedPrompt()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "tasks-" + Guid.NewGuid().ToString("N")[..6]);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));

        await DashboardFixture.OpenNewSessionFormAsync(page);
        var form = page.Locator("#new-session-form");
        await form.Locator("select[name=projectId]").SelectOptionAsync(project.Id);
        await form.Locator("input[name=title]").FillAsync("Tour the shed");
        await form.Locator("select[name=type]").SelectOptionAsync("docs");
        await form.Locator("textarea[name=prompt]").FillAsync("Show me the shed");
        await form.Locator("textarea[name=description]").FillAsync("Mind the **rakes**.");
        await form.Locator("select[name=runtime]").SelectOptionAsync("scripted");
        await form.Locator("#save-draft").ClickAsync();
        await page.WaitForURLAsync(new Regex("/sessions/s_[a-z0-9]+$"));
        var id = SessionIdOf(page);

        (await page.Locator("#session-status").TextContentAsync()).ShouldBe("draft");
        (await page.Locator("#session-title").TextContentAsync()).ShouldBe("Tour the shed");
        (await page.Locator("#session-type").TextContentAsync()).ShouldBe("docs");
        (await page.Locator("#session-description strong").TextContentAsync()).ShouldBe("rakes", "the description is Markdown");
        (await page.Locator("#composer-draft").CountAsync()).ShouldBe(1, "a draft takes no messages");
        (await fixture.Api.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Draft);

        // On the board it waits among the drafts.
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));
        (await page.Locator($"#drafts #card-{id} .card-title").TextContentAsync()).ShouldBe("Tour the shed");
        await page.Locator($"#card-{id}").ClickAsync();
        await page.WaitForURLAsync(fixture.Url($"/sessions/{id}"));

        // Edit: a new title and prompt; the page reloads with them.
        var edit = page.Locator("#edit-session-form");
        await edit.Locator("input[name=title]").FillAsync("Tour the whole shed");
        await edit.Locator("textarea[name=prompt]").FillAsync("Give me a tour of the shed, please");
        await edit.Locator("input[name=priority]").FillAsync("7");
        await edit.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#session-title", new() { HasTextString = "Tour the whole shed" }).WaitForAsync();
        var edited = await fixture.Api.GetSessionAsync(id);
        (edited.Prompt, edited.Priority, edited.Status).ShouldBe(("Give me a tour of the shed, please", 7, SessionStatus.Draft));
        await DashboardFixture.ScreenshotAsync(page, "draft");

        // Start: the page reloads as a live session's, running the edited prompt.
        await page.Locator("#session-head button[data-command=start]").ClickAsync();
        await page.Locator("#session-status", new() { HasNotTextString = "draft" }).WaitForAsync();
        // The page reloads as a started session's: its prompt can no longer be edited.
        await page.Locator("#session-edit textarea[name=prompt]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        (await page.Locator("#session-edit input[name=title]").CountAsync()).ShouldBe(1, "its title still can");
        // The demo it plays reports its phases: the first shows up on the page.
        await page.Locator("#session-progress .progress-phase", new() { HasTextString = "Look around (1/3)" }).WaitForAsync();
        var events = await fixture.Api.GetEventsAsync(id);
        events.First(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString().ShouldBe("Give me a tour of the shed, please");
        events.Single(e => e.Type == EventTypes.SessionQueued).Actor.ShouldBe("admin");
        events.Single(e => e.Type == EventTypes.SessionUpdated).Data.GetProperty("changed").EnumerateArray().Select(c => c.GetString())
            .ShouldBe(["title", "priority", "prompt"]);
        await fixture.Api.PostAsync($"/api/sessions/{id}/cancel", null);
    }

    [Fact]
    public async Task ProgressBar_OnTheSessionPageAndTheBoard_MovesWithEachStepWithoutAReload()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "progress-" + Guid.NewGuid().ToString("N")[..6]);
        // Each step is held long enough for a loaded machine's page to show it.
        const string Script = """
            [{"sleep": 1500}, {"phase": {"name": "Build", "total": 2}},
             {"progress": {"percent": 25, "text": "the parser"}}, {"sleep": 1500},
             {"progress": {"step": 2, "steps": 4, "text": "the lexer"}}, {"sleep": 1500},
             {"progress": {"percent": 100, "text": "all of it"}}, {"sleep": 60000}]
            """;
        using var response = await fixture.Api.PostJsonAsync("/api/sessions", $$"""{"projectId": "{{project.Id}}", "prompt": "Build it", "runtime": "scripted", "script": {{Script}}, "draft": true}""");
        response.EnsureSuccessStatusCode();
        var id = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync(response.Content, Overseer.Contracts.OverseerJson.Default.SessionDto))!.Id;
        var page = await fixture.SignedInPageAsync();
        var board = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{id}"));
        await board.GotoAsync(fixture.Url($"/?project={project.Id}"));
        (await page.Locator("#session-progress .progress").CountAsync()).ShouldBe(0, "a draft has made no progress");

        // Starting reloads the page once (a draft's page becomes a live session's); after that, nothing does.
        var navigations = 0;
        page.FrameNavigated += (_, _) => Interlocked.Increment(ref navigations);
        board.FrameNavigated += (_, _) => Interlocked.Increment(ref navigations);
        await page.Locator("#session-head button[data-command=start]").ClickAsync();
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref navigations)), n => n == 1, what: "the page to reload as a started session's");
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Locator("#session-status", new() { HasNotTextString = "draft" }).WaitForAsync();

        var bar = page.Locator("#session-progress .progress");
        await page.Locator("#session-progress .progress[data-percent='25']").WaitForAsync();
        (await bar.Locator(".progress-phase").TextContentAsync()).ShouldBe("Build (1/2)");
        (await bar.Locator(".progress-text").TextContentAsync()).ShouldBe("the parser");
        await page.Locator("#session-progress .progress[data-percent='50']").WaitForAsync();
        (await bar.Locator(".progress-text").TextContentAsync()).ShouldBe("the lexer");
        await page.Locator("#session-progress .progress[data-percent='100']").WaitForAsync();
        (await bar.Locator("progress").GetAttributeAsync("value")).ShouldBe("100");
        await board.Locator($"#card-{id} .progress[data-percent='100']").WaitForAsync();
        (await board.Locator($"#card-{id} .progress-phase").TextContentAsync()).ShouldBe("Build (1/2)");
        navigations.ShouldBe(1, "the bars moved over the live stream, not by reloading");
        (await page.Locator(".ev.phase-start strong").TextContentAsync()).ShouldBe("Build");
        await DashboardFixture.ScreenshotAsync(page, "progress");
        await DashboardFixture.ScreenshotAsync(board, "board-progress");
        await fixture.Api.PostAsync($"/api/sessions/{id}/cancel", null);
    }

    [Fact]
    public async Task Delete_FromTheSessionPage_AsksFirst_ThenTheSessionLeavesTheBoard()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "delete-" + Guid.NewGuid().ToString("N")[..6]);
        var keep = await fixture.Api.CreateSessionAsync(project.Id, """[{"say": "kept"}]""", prompt: "Keep me");
        var doomed = await fixture.Api.CreateSessionAsync(project.Id, """[{"say": "working"}, {"sleep": 60000}]""", prompt: "Delete me");
        await fixture.Api.WaitForStatusAsync(doomed.Id, SessionStatus.Running);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{doomed.Id}"));

        string? asked = null;
        async void Dismiss(object? sender, IDialog dialog) { asked = dialog.Message; await dialog.DismissAsync(); }
        page.Dialog += Dismiss;
        await page.Locator("#session-head button[data-command=delete]").ClickAsync();
        await Poll.UntilAsync(() => Task.FromResult(asked), a => a is not null, what: "the confirmation");
        asked!.ShouldContain("It is cancelled first");
        page.Dialog -= Dismiss;
        (await fixture.Api.GetSessionAsync(doomed.Id)).Status.ShouldBe(SessionStatus.Running, "dismissing deletes nothing");

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await page.Locator("#session-head button[data-command=delete]").ClickAsync();
        await page.WaitForURLAsync(fixture.Url("/"));
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));
        await page.Locator($"#card-{keep.Id}").WaitForAsync();
        (await page.Locator($"#card-{doomed.Id}").CountAsync()).ShouldBe(0);
        (await fixture.Api.GetAsync($"/api/sessions/{doomed.Id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await fixture.Api.GetEventsAsync(doomed.Id)).Select(e => e.Type).TakeLast(2).ShouldBe(["session.cancelled", "session.deleted"]);
    }

    [Fact]
    public async Task OpenSessionPage_WhenTheSessionIsDeletedElsewhere_SaysSo()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir());
        var session = await fixture.Api.CreateSessionAsync(project.Id, """[{"say": "hi"}]""", prompt: "Short-lived");
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        (await fixture.Api.DeleteAsync($"/api/sessions/{session.Id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);

        await page.Locator("#session-deleted").WaitForAsync();
    }
}
