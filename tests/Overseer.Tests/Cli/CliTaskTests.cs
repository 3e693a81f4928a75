using System.Net;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary><c>overseer session new|edit|start|rm</c> and what <c>ls</c> and <c>show</c> say about tasks, as a real CLI process.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTaskTests(CliFixture fixture)
{
    private const string Script = """
        [{"phase": {"name": "Draft the notes", "total": 2}}, {"progress": {"step": 1, "steps": 2, "text": "outline"}}, {"say": "done"}]
        """;

    private async Task<string> OkAsync(params string[] args)
    {
        var result = await fixture.Cli.RunAsync(args);
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Stdout;
    }

    [Fact]
    public async Task DraftEditStartRm_ThroughTheCli_RunsTheEditedPromptAndDeletesWhenConfirmed()
    {
        var dir = fixture.NewProjectDir();
        var title = "Release notes " + Guid.NewGuid().ToString("N")[..6];
        var id = (await OkAsync("session", "new", "Write the release notes", "--draft", "--title", title, "--type", "docs",
            "--description", "For **1.2**", "--project", dir, "--script", fixture.Script(Script))).Trim();
        id.ShouldStartWith("s_");

        var ls = await fixture.Cli.RunAsync(["ls", "--type", "docs", "--status", "draft"], environment: new Dictionary<string, string?> { ["COLUMNS"] = "160" });
        ls.ExitCode.ShouldBe(0, ls.ToString());
        ls.Stdout.Split('\n')[0].ShouldContain("TITLE");
        var row = ls.Stdout.Split('\n').Single(l => l.StartsWith(id[..10], StringComparison.Ordinal));
        row.ShouldContain("draft");
        row.ShouldContain($"[docs] {title}");

        var edited = await OkAsync("session", "edit", id[..10], "--title", title + " v2", "--prompt", "Write the release notes, in French");
        edited.ShouldContain($"{id} draft [docs] \"{title} v2\"");

        // Queued, or already running when a slot was free before the answer was read.
        (await OkAsync("session", "start", id)).Trim().ShouldBeOneOf($"{id} queued", $"{id} running");
        await fixture.Client.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await fixture.Client.GetEventsAsync(id);
        events.Single(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString().ShouldBe("Write the release notes, in French");
        events.Single(e => e.Type == EventTypes.SessionUpdated).Actor.ShouldBe("admin");

        var late = await fixture.Cli.RunAsync("session", "edit", id, "--prompt", "too late");
        late.ExitCode.ShouldBe(1, late.ToString());
        late.Stderr.ShouldContain("only while the session is a draft");
        late.Stderr.ShouldContain("(INVALID_STATE)");

        var show = await OkAsync("show", id);
        show.ShouldContain($"title:      {title} v2");
        show.ShouldContain("type:       docs");
        show.ShouldContain("progress:   Draft the notes (phase 1 of 2) · ▰▰▰▰▰▱▱▱▱▱ 50% · step 1/2 · outline");
        show.ShouldContain("For **1.2**");

        var no = await fixture.Cli.RunAsync(["session", "rm", id], stdin: "n\n");
        no.ExitCode.ShouldBe(1, no.ToString());
        no.Stderr.ShouldContain($"Delete {id} \"{title} v2\" (idle)? It is cancelled first.");
        no.Stderr.ShouldContain("Nothing was deleted.");
        (await fixture.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Idle);

        var yes = await fixture.Cli.RunAsync(["session", "rm", id], stdin: "y\n");
        yes.ExitCode.ShouldBe(0, yes.ToString());
        yes.Stdout.Trim().ShouldBe($"deleted {id}");
        (await fixture.Client.GetAsync($"/api/sessions/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fixture.Cli.RunAsync("show", id)).ExitCode.ShouldBe(4, "a deleted session is not found");
        (await OkAsync("ls")).ShouldNotContain(id[..10]);
    }

    [Fact]
    public async Task Rm_RunningSessionWithYes_CancelsItThenDeletesIt()
    {
        var run = await fixture.Cli.RunAsync("run", "keep busy", "--project", fixture.NewProjectDir(), "--script", fixture.Script("""[{"sleep": 60000}]"""));
        run.ExitCode.ShouldBe(0, run.ToString());
        var id = run.Stdout.Trim();
        await fixture.Client.WaitForStatusAsync(id, SessionStatus.Running);

        (await OkAsync("session", "rm", id, "--yes")).Trim().ShouldBe($"deleted {id}");

        (await fixture.Client.GetEventsAsync(id)).Select(e => e.Type).TakeLast(2).ShouldBe(["session.cancelled", "session.deleted"]);
    }

    [Fact]
    public async Task NewAndEdit_BadArguments_AreUsageErrorsThatSayWhy()
    {
        var type = await fixture.Cli.RunAsync("session", "new", "x", "--type", "chore", "--draft");
        type.ExitCode.ShouldBe(2, type.ToString());
        type.Stderr.ShouldContain("chore");

        var nothing = await fixture.Cli.RunAsync("session", "edit", "s_whatever");
        nothing.ExitCode.ShouldBe(2, nothing.ToString());
        nothing.Stderr.ShouldContain("nothing to change");

        var title = await fixture.Cli.RunAsync("session", "new", "x", "--draft", "--title", new string('t', 121), "--project", fixture.NewProjectDir());
        title.ExitCode.ShouldBe(1, title.ToString());
        title.Stderr.ShouldContain("title is 121 characters; at most 120 are allowed. (INVALID_FIELD)");
    }

    [Fact]
    public async Task Help_NamesEverySessionSubcommand()
    {
        var help = await OkAsync("session", "--help");
        foreach (var command in new[] { "new", "edit", "start", "rm" })
            help.ShouldContain(command);
        (await OkAsync("session", "new", "--help")).ShouldContain("--draft");
    }
}
