using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class BoardAndInboxTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private static string Ask(string question) => JsonSerializer.Serialize(new object[]
    {
        new { ask = new { question, header = "Pick", options = new[] { new { label = "Red" }, new { label = "Blue" } } } },
        new { say = "thanks" },
    });

    [Fact]
    public async Task Board_ShowsNewSessionsAndTheirStateLive_WithoutAReload()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "board-live");
        var page = await fixture.SignedInPageAsync();
        var streams = 0;
        page.Request += (_, request) =>
        {
            // The sign-in landed on the whole board, whose stream may still be opening: count this view's.
            if (request.Url.Contains("/ui/stream", StringComparison.Ordinal) && request.Url.Contains(project.Id, StringComparison.Ordinal))
                Interlocked.Increment(ref streams);
        };
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));
        (await page.Locator("#cards .card").CountAsync()).ShouldBe(0);

        var session = await fixture.Api.CreateSessionAsync(project.Id, Ask("Which colour?"), prompt: "Paint the shed");

        var card = page.Locator($"#card-{session.Id}");
        await card.WaitForAsync();
        (await card.Locator(".card-prompt").TextContentAsync()).ShouldBe("Paint the shed");
        await card.Locator(".card-wait", new() { HasTextString = "Waiting for 1 question" }).WaitForAsync();
        (await card.Locator(".status").TextContentAsync()).ShouldBe("waiting");
        (await card.Locator(".card-top .small").First.TextContentAsync()).ShouldBe("board-live");
        streams.ShouldBe(1, "one live connection for the tab, however many sessions it shows");
        await DashboardFixture.ScreenshotAsync(page, "board");
    }

    [Fact]
    public async Task Board_FiltersByStatus()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "board-filter");
        var idle = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "done" } }));
        var waiting = await fixture.Api.CreateSessionAsync(project.Id, Ask("Filter me?"));
        await fixture.Api.WaitForStatusAsync(idle.Id, SessionStatus.Idle);
        await fixture.Api.WaitForStatusAsync(waiting.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));

        await page.SelectOptionAsync("select[name=status]", "waiting");
        await page.WaitForURLAsync(u => u.Contains("status=waiting", StringComparison.Ordinal));

        (await page.Locator("#cards .card").CountAsync()).ShouldBe(1);
        (await page.Locator($"#card-{waiting.Id}").CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Inbox_ListsWhatWaitsAcrossSessions_NewestFirst_AndIsActionableInPlace()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "inbox");
        var first = await fixture.Api.CreateSessionAsync(project.Id, Ask("First question?"));
        await fixture.Api.WaitForStatusAsync(first.Id, SessionStatus.Waiting);
        var second = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Bash", input = new { command = "curl https://example.org" }, output = "ok" } },
        }));
        await fixture.Api.WaitForStatusAsync(second.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/inbox"));

        var mine = page.Locator("#inbox-list article.item").Filter(new() { Has = page.Locator($"a[href='/sessions/{first.Id}'], a[href='/sessions/{second.Id}']") });
        (await mine.Nth(0).GetAttributeAsync("data-kind")).ShouldBe("approval", customMessage: "the newest item comes first");
        (await mine.Nth(1).GetAttributeAsync("data-kind")).ShouldBe("question");
        (await mine.Nth(0).Locator(".session-link").TextContentAsync()).ShouldBe("inbox: test", "each item says which project and session it comes from");
        var badgeBefore = int.Parse((await page.Locator("#inbox-count").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        await DashboardFixture.ScreenshotAsync(page, "inbox");

        var question = mine.Nth(1);
        await question.Locator("input[name='q0-other']").FillAsync("Green, actually");
        await question.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#inbox-list .item.resolved", new() { HasTextString = "Question answered" }).WaitForAsync();
        await fixture.Api.WaitForStatusAsync(first.Id, SessionStatus.Idle);
        var answered = (await fixture.Api.GetEventsAsync(first.Id)).Single(e => e.Type == EventTypes.QuestionAnswered);
        answered.Data.GetProperty("answers").GetProperty("First question?").GetString().ShouldBe("Green, actually");

        await page.Locator("#inbox-list article[data-kind=approval]").Filter(new() { Has = page.Locator($"a[href='/sessions/{second.Id}']") })
            .Locator("button[data-action=deny]").ClickAsync();
        await page.Locator("#inbox-list .item.resolved", new() { HasTextString = "denied by admin" }).WaitForAsync();
        // Other tests share the server and open and close items of their own meanwhile: the badge
        // must come to show the server's own count, now two fewer of them ours.
        await Poll.UntilAsync(async () => (Badge: await page.Locator("#inbox-count").TextContentAsync(), Total: await PendingTotalAsync()),
            seen => seen.Badge == seen.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            what: "the inbox count in the navigation follows live");
        badgeBefore.ShouldBeGreaterThanOrEqualTo(2, "both items were counted while they waited");
    }

    private async Task<int> PendingTotalAsync()
    {
        var total = 0;
        foreach (var kind in new[] { "approvals", "questions", "dependencies", "reviews" })
            total += JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/{kind}?status=pending&limit=200")).RootElement.GetProperty("items").GetArrayLength();
        return total;
    }

    [Fact]
    public async Task Inbox_ShowsANewRequestLive_AndADependencyIsProvidedMasked()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "deps");
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/inbox"));

        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
        {
            new { say = "[DEPENDENCY_REQUEST]\ntype: api_key\nname: SHED_TOKEN\ndescription: Token for the shed API\n[/DEPENDENCY_REQUEST]" },
        }));

        var item = page.Locator("#inbox-list article[data-kind=dependency]").Filter(new() { Has = page.Locator($"a[href='/sessions/{session.Id}']") });
        await item.WaitForAsync();
        (await item.Locator("input[name=value]").GetAttributeAsync("type")).ShouldBe("password");
        await item.Locator("input[name=value]").FillAsync("s3cr3t-shed");
        await item.Locator("button[type=submit]").ClickAsync();
        await page.Locator("#inbox-list .item.resolved", new() { HasTextString = "SHED_TOKEN provided" }).WaitForAsync();
        (await page.ContentAsync()).ShouldNotContain("s3cr3t-shed");
    }

    [Fact]
    public async Task Board_PutsWaitingSessionsFirst_KeepsTheOrderLive_AndCountsWhatWaitsInTheTitle()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "attention");
        var oldestIdle = await fixture.Api.CreateSessionAsync(project.Id, Say("done"), prompt: "oldest idle");
        await fixture.Api.WaitForStatusAsync(oldestIdle.Id, SessionStatus.Idle);
        var waiting = await fixture.Api.CreateSessionAsync(project.Id, Ask("Which first?"), prompt: "waiting");
        await fixture.Api.WaitForStatusAsync(waiting.Id, SessionStatus.Waiting);
        var running = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[] { new { say = "working" }, new { sleep = 60_000 } }), prompt: "running");
        await fixture.Api.WaitForStatusAsync(running.Id, SessionStatus.Running);
        var newestIdle = await fixture.Api.CreateSessionAsync(project.Id, Say("done"), prompt: "newest idle");
        await fixture.Api.WaitForStatusAsync(newestIdle.Id, SessionStatus.Idle);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/?project={project.Id}"));

        (await CardOrderAsync(page)).ShouldBe([waiting.Id, running.Id, newestIdle.Id, oldestIdle.Id], "waiting first, then running, then the rest, newest first in each");
        var count = int.Parse((await page.Locator("#inbox-count").TextContentAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        count.ShouldBeGreaterThan(0);
        (await page.TitleAsync()).ShouldBe($"({count}) Sessions · Overseer", "the tab title counts what waits for a person");

        // A new question while the board is open goes to the top, and the title counts it.
        var second = await fixture.Api.CreateSessionAsync(project.Id, Ask("And this one?"), prompt: "second waiting");
        await Poll.UntilAsync(() => CardOrderAsync(page), ids => ids.SequenceEqual([second.Id, waiting.Id, running.Id, newestIdle.Id, oldestIdle.Id]),
            what: "the new waiting session at the top of the live board");
        await Poll.UntilAsync(() => page.TitleAsync(), title => title == $"({count + 1}) Sessions · Overseer", what: "the title's count to follow live");

        // Cancelled, the first waiting session leaves the top for its place among the rest.
        (await fixture.Api.PostAsync($"/api/sessions/{waiting.Id}/cancel", null)).EnsureSuccessStatusCode();
        await Poll.UntilAsync(() => CardOrderAsync(page), ids => ids.SequenceEqual([second.Id, running.Id, newestIdle.Id, waiting.Id, oldestIdle.Id]),
            what: "the cancelled session to move down among the ended ones");
        await Poll.UntilAsync(() => page.TitleAsync(), title => title == $"({count}) Sessions · Overseer", what: "the title's count to go down");
    }

    [Fact]
    public async Task NewSessionForm_PreselectsTheServersDefaultRuntime_AndADoubleClickStartsOneSession()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "double-click");
        var page = await fixture.SignedInPageAsync();
        await DashboardFixture.OpenNewSessionFormAsync(page);

        (await page.InputValueAsync("select[name=runtime]")).ShouldBe("scripted", "the server's default runtime is preselected");
        var claude = page.Locator("select[name=runtime] option[value=claude-code]");
        (await claude.EvaluateAsync<bool>("o => o.disabled")).ShouldBeTrue("a runtime that cannot run here is not offered");
        (await claude.TextContentAsync())!.ShouldContain("unavailable: '/nonexistent/claude' not found");

        await page.SelectOptionAsync("select[name=projectId]", project.Id);
        await page.FillAsync("textarea[name=prompt]", "Only once, please");
        var posts = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/ui/sessions", StringComparison.Ordinal))
                Interlocked.Increment(ref posts);
        };
        await page.DblClickAsync("#new-session-form button[type=submit]");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/sessions/[^/]+$"));

        posts.ShouldBe(1, "the second click of a double click sends nothing");
        var sessions = JsonDocument.Parse(await fixture.Api.GetStringAsync($"/api/sessions?projectId={project.Id}")).RootElement.GetProperty("items");
        sessions.GetArrayLength().ShouldBe(1);
        sessions[0].GetProperty("runtime").GetString().ShouldBe("scripted");
    }

    private static string Say(string text) => JsonSerializer.Serialize(new object[] { new { say = text } });

    private static Task<string[]> CardOrderAsync(Microsoft.Playwright.IPage page) =>
        page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#cards .card')].map(c => c.id.replace('card-', ''))");
}
