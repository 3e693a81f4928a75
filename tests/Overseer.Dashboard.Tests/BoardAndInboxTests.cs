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
        await Poll.UntilAsync(() => page.Locator("#inbox-count").TextContentAsync(), text => text == (badgeBefore - 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            what: "the inbox count in the navigation follows live");
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
}
