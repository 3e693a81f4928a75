using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

public sealed class LayoutAndLiveTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task EveryPage_At375PixelsWide_FitsWithoutSidewaysScrolling()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "phone");
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(new object[]
        {
            new { say = "A long line: " + new string('x', 300) },
            new { tool = new { name = "Bash", input = new { command = "curl https://example.com/" + new string('a', 200) }, output = "ok" } },
        }));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync(375, 812);

        foreach (var path in new[] { "/", $"/sessions/{session.Id}", "/inbox", "/projects", "/stats", "/account" })
        {
            await page.GotoAsync(fixture.Url(path));
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            overflow.ShouldBeLessThanOrEqualTo(0, customMessage: $"{path} scrolls sideways by {overflow}px at 375px");
            (await page.Locator("nav a[href='/inbox']").IsVisibleAsync()).ShouldBeTrue($"{path}: the navigation is reachable");
        }
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        (await page.Locator("#pending button[data-action=approve]").IsVisibleAsync()).ShouldBeTrue();
        (await page.Locator("#composer textarea").IsVisibleAsync()).ShouldBeTrue();
        await DashboardFixture.ScreenshotAsync(page, "session-375px");
    }

    [Fact]
    public async Task LiveConnection_CutMidSession_CatchesUpWithoutGapsOrDuplicates()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "flaky");
        var steps = new List<object>();
        for (var i = 0; i < 40; i++)
        {
            steps.Add(new { say = $"line {i}" });
            steps.Add(new { sleep = 75 });
        }
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(steps));
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        await page.Locator(".ev.text", new() { HasTextString = "line 5" }).WaitForAsync();

        // Cut the page's connections twice while the agent keeps talking.
        fixture.Proxy.DropAll();
        await page.Locator(".ev.text", new() { HasTextString = "line 20" }).WaitForAsync();
        fixture.Proxy.DropAll();

        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var stored = (await fixture.Api.GetEventsAsync(session.Id)).Select(e => e.Seq).ToList();
        var shown = await Poll.UntilAsync(
            () => page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#transcript [data-seq]')].map(e => Number(e.dataset.seq))"),
            seqs => seqs.Length >= stored.Count,
            TimeSpan.FromSeconds(20), "the page to catch up");

        shown.ToList().ShouldBe(stored, customMessage: "every stored event is on the page once, in order");
        (await page.Locator(".ev.text", new() { HasTextString = "line 39" }).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task LongSession_OpensAtItsEnd_AndLoadsOlderEventsOnScrollingUp()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "long");
        var steps = Enumerable.Range(0, 450).Select(i => (object)new { say = $"message {i}" }).ToArray();
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(steps));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle, TimeSpan.FromSeconds(60));
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        (await page.Locator(".ev.text", new() { HasTextString = "message 449" }).IsVisibleAsync()).ShouldBeTrue("the page opens at the latest output");
        var firstPage = await page.Locator("#transcript [data-seq]").CountAsync();
        firstPage.ShouldBeLessThanOrEqualTo(200, "only the latest page is rendered at first");

        for (var i = 0; i < 10 && await page.Locator(".ev.text", new() { HasTextString = "message 0" }).CountAsync() == 0; i++)
        {
            await page.EvaluateAsync("() => window.scrollTo(0, 0)");
            await page.WaitForTimeoutAsync(300);
        }
        var seqs = await page.EvaluateAsync<long[]>("() => [...document.querySelectorAll('#transcript [data-seq]')].map(e => Number(e.dataset.seq))");
        var stored = (await fixture.Api.GetEventsAsync(session.Id)).Select(e => e.Seq).ToList();
        seqs.ToList().ShouldBe(stored, customMessage: "scrolling up loaded every older page, once each, in order");
    }

    [Fact]
    public async Task App_IsInstallable_AndItsServiceWorkerKeepsTheShell()
    {
        var page = await fixture.SignedInPageAsync();
        var manifest = JsonDocument.Parse(await fixture.Api.GetStringAsync("/manifest.webmanifest")).RootElement;
        manifest.GetProperty("display").GetString().ShouldBe("standalone");
        manifest.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()).ShouldContain("512x512");
        foreach (var icon in manifest.GetProperty("icons").EnumerateArray())
            (await fixture.Api.GetAsync(icon.GetProperty("src").GetString())).IsSuccessStatusCode.ShouldBeTrue();

        var scope = await page.EvaluateAsync<string>("async () => (await navigator.serviceWorker.ready).scope");
        scope.ShouldBe(fixture.Url("/"));
        var cached = await page.EvaluateAsync<int>("async () => (await (await caches.open('overseer-shell-v1')).keys()).length");
        cached.ShouldBeGreaterThanOrEqualTo(4);
    }

    [Fact]
    public async Task ThemeToggle_SwitchesAndRemembersTheTheme()
    {
        var page = await fixture.SignedInPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = Microsoft.Playwright.ColorScheme.Light });
        await page.ClickAsync("#theme-toggle");
        (await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme")).ShouldBe("dark");
        var background = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        await page.ReloadAsync();
        (await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme")).ShouldBe("dark");
        (await page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor")).ShouldBe(background);
        background.ShouldBe("rgb(11, 17, 32)");
    }

    [Fact]
    public async Task ProjectsAndStats_AddAProjectFromTheForm_AndSeeCostPerModel()
    {
        var dir = fixture.NewProjectDir();
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync(fixture.Url("/projects"));
        if (!await page.Locator("form[hx-post='/ui/projects'] input[name=path]").IsVisibleAsync())
            await page.ClickAsync("details.panel > summary");
        await page.FillAsync("input[name=path]", dir);
        await page.FillAsync("input[name=name]", "from-the-form");
        await page.ClickAsync("form[hx-post='/ui/projects'] button[type=submit]");
        await page.Locator("#projects td", new() { HasTextString = "from-the-form" }).WaitForAsync();

        if (!await page.Locator("form[hx-post='/ui/projects'] input[name=path]").IsVisibleAsync())
            await page.ClickAsync("details.panel > summary");
        (await page.Locator("#allowed-roots").TextContentAsync())!.ShouldContain(fixture.ProjectsRoot, customMessage: "the form says where projects may live");
        await page.FillAsync("input[name=path]", "/definitely/not/allowed");
        await page.ClickAsync("form[hx-post='/ui/projects'] button[type=submit]");
        (await page.Locator("#toasts .toast").First.TextContentAsync()).ShouldBe("There is no directory at /definitely/not/allowed.");
        await page.FillAsync("input[name=path]", "~/no-such-overseer-dir");
        await page.ClickAsync("form[hx-post='/ui/projects'] button[type=submit]");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        await page.Locator("#toasts .toast", new() { HasTextString = $"There is no directory at {Path.Combine(home, "no-such-overseer-dir")}." }).WaitForAsync();
        await page.FillAsync("input[name=path]", Path.GetTempPath());
        await page.ClickAsync("form[hx-post='/ui/projects'] button[type=submit]");
        await page.Locator("#toasts .toast", new() { HasTextString = $"Projects must lie under {fixture.ProjectsRoot}" }).WaitForAsync();

        var project = (await fixture.Api.GetStringAsync("/api/projects"));
        var id = JsonDocument.Parse(project).RootElement.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "from-the-form").GetProperty("id").GetString()!;
        var session = await fixture.Api.CreateSessionAsync(id, JsonSerializer.Serialize(new object[]
        {
            new { usage = new { inputTokens = 1000, outputTokens = 100, costUsd = 0.25, model = "stats-model" } },
        }));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        await page.GotoAsync(fixture.Url("/stats"));
        var row = page.Locator("#chart-cost-model tr[data-key='stats-model']");
        (await row.Locator(".num").TextContentAsync())!.ShouldStartWith("$0.25");
        (await page.Locator("#chart-cost-day tr").CountAsync()).ShouldBeGreaterThanOrEqualTo(1);
        (await page.Locator("#chart-status tr[data-key=idle]").CountAsync()).ShouldBe(1);
        var usage = JsonDocument.Parse(await fixture.Api.GetStringAsync("/api/usage?groupBy=model")).RootElement;
        usage.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("key").GetString() == "stats-model").GetProperty("costUsd").GetDecimal().ShouldBe(0.25m);
        await DashboardFixture.ScreenshotAsync(page, "stats");
    }

    [Fact]
    public async Task Transcript_FollowsNewOutput_UntilTheUserScrollsUp()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "follow");
        var steps = new List<object>();
        for (var i = 0; i < 60; i++)
        {
            steps.Add(new { say = $"paragraph {i}\n\n" + string.Join(' ', Enumerable.Repeat("words to fill the screen", 12)) });
            steps.Add(new { sleep = 150 });
        }
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(steps));
        var page = await fixture.SignedInPageAsync(800, 600);
        await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));

        await page.Locator(".ev.text", new() { HasTextString = "paragraph 15" }).WaitForAsync();
        await page.Locator(".ev.text", new() { HasTextString = "paragraph 20" }).WaitForAsync();
        (await DistanceFromEndAsync(page)).ShouldBeLessThan(150, "while at the end, the page follows new output");

        await page.EvaluateAsync("() => window.scrollTo(0, 200)");
        await page.Locator(".ev.text", new() { HasTextString = "paragraph 30" }).WaitForAsync();
        (await page.EvaluateAsync<double>("() => window.scrollY")).ShouldBe(200, "after scrolling up the page stays where the user is");
        await page.Locator("#jump").WaitForAsync();

        await page.ClickAsync("#jump");
        await page.Locator(".ev.text", new() { HasTextString = "paragraph 40" }).WaitForAsync();
        await Poll.UntilAsync(() => DistanceFromEndAsync(page), d => d < 150, what: "back at the end, following again");
    }

    [Fact]
    public async Task PhoneSessionPage_ShowsTheAnswerBarAtFirstPaint_AndItJumpsToTheQuestion()
    {
        var project = await fixture.Api.CreateProjectAsync(fixture.NewProjectDir(), "phone-answer");
        var steps = Enumerable.Range(0, 30).Select(i => (object)new { say = $"step {i}: " + string.Join(' ', Enumerable.Repeat("some output", 10)) }).ToList();
        steps.Add(new { ask = new { question = "Deploy to production now?", header = "Deploy", options = new[] { new { label = "Yes" }, new { label = "Not yet" } } } });
        steps.Add(new { say = "ok" });
        var session = await fixture.Api.CreateSessionAsync(project.Id, JsonSerializer.Serialize(steps));
        await fixture.Api.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        var page = await fixture.SignedInPageAsync(375, 812);

        var response = await page.GotoAsync(fixture.Url($"/sessions/{session.Id}"));
        (await response!.TextAsync()).ShouldContain("1 question waiting", customMessage: "the bar is in the page as the server sends it, before any live update");
        var bar = page.Locator("#answer-bar");
        (await bar.IsVisibleAsync()).ShouldBeTrue();
        var box = (await bar.BoundingBoxAsync())!;
        (box.Y >= 0 && box.Y + box.Height <= 812).ShouldBeTrue($"the bar is on screen although the page opens at the latest output (y={box.Y})");
        (await page.EvaluateAsync<double>("() => window.scrollY")).ShouldBeGreaterThan(0, "the page did open at its latest output");

        await bar.Locator("a", new() { HasTextString = "Answer" }).ClickAsync();
        var question = page.Locator("#pending article[data-kind=question]");
        (await question.EvaluateAsync<bool>("q => q.contains(document.activeElement)")).ShouldBeTrue("the question's form has the focus");
        var top = (await question.BoundingBoxAsync())!.Y;
        var headerBottom = await page.EvaluateAsync<double>("() => document.querySelector('header.top').getBoundingClientRect().bottom");
        (top >= headerBottom - 1 && top < 812).ShouldBeTrue($"the question is in view below the sticky header (top {top}, header ends {headerBottom})");

        // The transcript's "Question" line links to the same form.
        var href = await page.Locator(".ev.note.wait a[data-jump=item]").GetAttributeAsync("href");
        (await page.EvaluateAsync<string>($"() => document.querySelector('{href}').dataset.kind")).ShouldBe("question");

        await question.Locator("label.choice", new() { HasTextString = "Not yet" }).ClickAsync();
        await question.Locator("button[type=submit]").ClickAsync();
        await bar.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
    }

    [Fact]
    public async Task OfflineBanner_ShowsWhileTheServerCannotBeReached_AndGoesWhenItIsBack()
    {
        var page = await fixture.SignedInPageAsync();
        var banner = page.Locator("#offline-banner");
        (await banner.IsVisibleAsync()).ShouldBeFalse();

        fixture.Proxy.Refusing = true;
        try
        {
            fixture.Proxy.DropAll();
            await banner.WaitForAsync();
            (await banner.TextContentAsync())!.ShouldContain("Offline");
        }
        finally
        {
            fixture.Proxy.Refusing = false;
        }
        await banner.WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Hidden });
    }

    private static Task<double> DistanceFromEndAsync(Microsoft.Playwright.IPage page) =>
        page.EvaluateAsync<double>("() => document.documentElement.scrollHeight - (window.scrollY + window.innerHeight)");
}
