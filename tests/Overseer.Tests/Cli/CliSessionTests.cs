using System.Text.Json;
using System.Text.RegularExpressions;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

[Collection(CliCollection.Name)]
public sealed partial class CliSessionTests(CliFixture fixture)
{
    private string WorkScript => JsonSerializer.Serialize(new object[]
    {
        new { think = "First look at the files." },
        new { say = "Listing the files." },
        new { tool = new { name = "Bash", input = new { command = "ls -la" }, output = "total 0\nREADME.md" } },
        new { tool = new { name = "Edit", input = new { file_path = AppFile, old_string = "a", new_string = "b" }, output = "ok" } },
        new { usage = new { inputTokens = 1200, outputTokens = 300, costUsd = 0.012 } },
        new { say = "All done." },
    });

    // Inside the project (the directory the CLI runs in), so the default policy lets the edit run.
    private string AppFile => Path.Combine(Cli.WorkingDirectory, "app.cs");

    private const string NetworkScript = """
        [{"say": "Fetching the page."},
         {"tool": {"name": "Bash", "input": {"command": "curl https://example.com"}, "output": "<html>fetched</html>"}},
         {"say": "Fetched it."}]
        """;

    private CliEnvironment Cli => fixture.Cli;

    private async Task<string> RunAsync(string script, string prompt = "test")
    {
        var result = await Cli.RunAsync("run", prompt, "--script", fixture.Script(script));
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Stdout.Trim();
    }

    [Fact]
    public async Task RunAttach_ScriptedSession_RendersTextToolsAndTheFinalState()
    {
        var result = await Cli.RunAsync("run", "list the files", "--script", fixture.Script(WorkScript), "--attach");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        lines[0].ShouldStartWith("s_");
        lines.ShouldContain("> list the files  (admin)");
        lines.ShouldContain(l => l.StartsWith("✻ First look", StringComparison.Ordinal));
        lines.ShouldContain("Listing the files.");
        lines.ShouldContain("$ ls -la");
        lines.ShouldContain("  │ README.md");
        lines.ShouldContain(l => l.StartsWith("Edit " + AppFile, StringComparison.Ordinal));
        lines.ShouldContain(l => l.Contains("tokens 1200 in / 300 out", StringComparison.Ordinal));
        lines.ShouldContain("All done.");
        lines.Last(l => l.Length > 0).ShouldBe("● idle (turn finished)");
        result.Stdout.ShouldNotContain("\u001b[");
    }

    [Fact]
    public async Task LogsAndBlob_LongText_LogsMarkThePreview_AndBlobPrintsAllOfItExactly()
    {
        var text = string.Concat(Enumerable.Range(0, 4_000).Select(i => $"row {i} «é» 😀\n"));
        var sessionId = await RunAsync(JsonSerializer.Serialize(new object[] { new { say = text } }));
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var blobId = (await fixture.Client.GetEventsAsync(sessionId)).Single(e => e.Type == EventTypes.AgentText).Data.GetProperty("blobId").GetString();

        var logs = await Cli.RunAsync("logs", sessionId);
        logs.Stdout.ShouldContain($"… a preview: {text.Length:#,0} characters in all; print them with: overseer blob {sessionId} {blobId}");
        logs.Stdout.ShouldNotContain("row 3999 ");

        var blob = await Cli.RunAsync("blob", sessionId, blobId!);
        blob.ExitCode.ShouldBe(0, blob.ToString());
        (blob.Stdout == text).ShouldBeTrue("blob printed something other than the whole text");
    }

    [Fact]
    public async Task RunAttach_FailingAgent_ShowsTheErrorAndExits1()
    {
        var result = await Cli.RunAsync("run", "break", "--script", fixture.Script("""[{"say": "Trying."}, {"fail": "the build is broken"}]"""), "--attach");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stdout.TrimEnd().Split('\n')[^1].ShouldStartWith("● failed");
        result.Stdout.ShouldContain("the build is broken");
    }

    [Fact]
    public async Task Attach_ApprovedFromASecondProcess_ShowsTheDecisionAndTheSessionGoesOn()
    {
        var sessionId = await RunAsync(NetworkScript);
        await using var attached = Cli.Start("attach", sessionId, "--exit-on-idle");

        var shown = await attached.WaitForOutputAsync("overseer approve a_");
        var approvalId = ApprovalHint().Match(shown).Groups[1].Value;
        var approve = await Cli.RunAsync("approve", approvalId[..6]);
        approve.ExitCode.ShouldBe(0, approve.ToString());
        approve.Stdout.Trim().ShouldBe($"{approvalId} approved");

        (await attached.WaitForExitAsync(TimeSpan.FromSeconds(30))).ShouldBe(0, attached.Stderr);
        var output = attached.Stdout;
        output.ShouldContain("⚠ approval " + approvalId + " ORANGE $ curl https://example.com");
        output.ShouldContain($"✓ approved {approvalId} by admin (approve)");
        output.IndexOf("✓ approved", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("Fetched it.", StringComparison.Ordinal));
        output.ShouldContain("  │ <html>fetched</html>");
        output.TrimEnd().ShouldEndWith("● idle (turn finished)");
    }

    [Fact]
    public async Task Answer_OptionByNumber_AnswersTheQuestion()
    {
        var sessionId = await RunAsync("""[{"ask": {"question": "Which color?", "options": ["red", "blue"]}}, {"say": "ok"}]""");
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Waiting);
        var questionId = JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/questions?status=pending&sessionId={sessionId}"))
            .RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;

        var result = await Cli.RunAsync("answer", questionId, "--option", "2");

        result.ExitCode.ShouldBe(0, result.ToString());
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var answered = (await fixture.Client.GetEventsAsync(sessionId)).Single(e => e.Type == EventTypes.QuestionAnswered);
        answered.Data.GetProperty("answers").GetProperty("Which color?").GetString().ShouldBe("blue");
        var logs = await Cli.RunAsync("logs", sessionId);
        logs.Stdout.ShouldContain("✓ answered " + questionId + " by admin: Which color? → blue");
    }

    [Fact]
    public async Task PendingAndReview_PlanWaiting_IsListedAndApprovedFromTheCli()
    {
        var sessionId = await RunAsync("""[{"plan": "1. Add the endpoint\n2. Test it"}, {"say": "Building it."}]""");
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Waiting);

        var pending = await Cli.RunAsync("pending", "--session", sessionId, "--json");
        pending.ExitCode.ShouldBe(0, pending.ToString());
        var reviewId = JsonSerializer.Deserialize(pending.Stdout, OverseerJson.Default.PendingItems)!.Reviews.ShouldHaveSingleItem().Id;
        var shown = await Cli.RunAsync("review", reviewId);
        shown.Stdout.ShouldContain("1. Add the endpoint");
        shown.Stdout.ShouldContain($"overseer review {reviewId} --approve");

        var approved = await Cli.RunAsync("review", reviewId, "--approve");

        approved.ExitCode.ShouldBe(0, approved.ToString());
        approved.Stdout.Trim().ShouldBe($"{reviewId} approved");
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
    }

    [Fact]
    public async Task LogsJsonAndExport_RoundTrip_TheEventsTheApiReturns()
    {
        var sessionId = await RunAsync(WorkScript);
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var expected = await fixture.Client.GetEventsAsync(sessionId);

        var logs = await Cli.RunAsync("logs", sessionId, "--json");
        var file = Path.Combine(fixture.TempPath, $"export-{sessionId}.jsonl");
        var export = await Cli.RunAsync("export", sessionId, "-o", file);

        logs.ExitCode.ShouldBe(0, logs.ToString());
        export.ExitCode.ShouldBe(0, export.ToString());
        var fromLogs = Parse(logs.Stdout);
        var fromExport = Parse(await File.ReadAllTextAsync(file));
        fromLogs.Select(e => e.Seq).ShouldBe(expected.Select(e => e.Seq));
        fromExport.Select(e => e.Seq).ShouldBe(expected.Select(e => e.Seq));
        fromLogs.Select(e => e.Type).ShouldBe(expected.Select(e => e.Type));
        for (var i = 0; i < expected.Count; i++)
        {
            fromExport[i].Data.GetRawText().ShouldBe(expected[i].Data.GetRawText());
            fromExport[i].SessionSeq.ShouldBe(expected[i].SessionSeq);
        }
        (await Cli.RunAsync("export", sessionId)).Stdout.ShouldBe(logs.Stdout);

        static List<EventEnvelope> Parse(string jsonLines) => jsonLines
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize(line, OverseerJson.Default.EventEnvelope)!)
            .ToList();
    }

    [Fact]
    public async Task Show_UnknownId_OneLineErrorAndExit4()
    {
        var result = await Cli.RunAsync("show", "s_doesnotexist");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Stderr.ShouldBe("overseer: session 's_doesnotexist' not found\n");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Show_UniquePrefix_ResolvesToTheSession()
    {
        var sessionId = await RunAsync(WorkScript);

        var withKind = await Cli.RunAsync("show", sessionId[..10], "--json");
        var withoutKind = await Cli.RunAsync("show", sessionId[2..10]);

        withKind.ExitCode.ShouldBe(0, withKind.ToString());
        JsonDocument.Parse(withKind.Stdout).RootElement.GetProperty("session").GetProperty("id").GetString().ShouldBe(sessionId);
        withoutKind.ExitCode.ShouldBe(0, withoutKind.ToString());
        withoutKind.Stdout.ShouldContain(sessionId);
    }

    [Fact]
    public async Task Show_AmbiguousPrefix_ListsTheCandidatesAndExits2()
    {
        var first = await RunAsync(WorkScript);
        var second = await RunAsync(WorkScript);

        var result = await Cli.RunAsync("show", "s_");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.TrimEnd().Split('\n').Length.ShouldBe(1);
        result.Stderr.ShouldContain("is ambiguous");
        result.Stderr.ShouldContain(first);
        result.Stderr.ShouldContain(second);
    }

    [Fact]
    public async Task Ls_Json_ParsesAsTheSessionsTheApiLists()
    {
        var sessionId = await RunAsync(WorkScript);

        var result = await Cli.RunAsync("ls", "--json");
        var table = await Cli.RunAsync("ls");

        result.ExitCode.ShouldBe(0, result.ToString());
        var sessions = JsonSerializer.Deserialize(result.Stdout, OverseerJson.Default.IReadOnlyListSessionDto)!;
        sessions.ShouldContain(s => s.Id == sessionId);
        table.Stdout.Split('\n')[0].ShouldStartWith("ID");
        table.Stdout.ShouldContain(sessionId[..10]);
    }

    [Fact]
    public async Task Attach_CtrlC_DetachesWithExit0AndLeavesTheSessionRunning()
    {
        var sessionId = await RunAsync("""[{"say": "Thinking hard."}, {"sleep": 60000}, {"say": "never seen"}]""");
        await using var attached = Cli.Start("attach", sessionId);
        await attached.WaitForOutputAsync("Thinking hard.");

        attached.Interrupt();

        (await attached.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBe(0, attached.Stderr);
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Running);
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Attach_SecondCtrlC_InterruptsTheSessionAndExits130()
    {
        var sessionId = await RunAsync("""[{"say": "Working on it."}, {"sleep": 60000}, {"say": "never seen"}]""");
        await using var attached = Cli.Start("attach", sessionId);
        await attached.WaitForOutputAsync("Working on it.");

        attached.Interrupt();
        await attached.WaitForErrorAsync("Ctrl-C again");
        attached.Interrupt();

        (await attached.WaitForExitAsync(TimeSpan.FromSeconds(15))).ShouldBe(130, attached.Stderr);
        var session = await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        session.Reason.ShouldBe("interrupted");
        (await fixture.Client.GetEventsAsync(sessionId)).ShouldNotContain(e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "never seen");
    }

    [GeneratedRegex(@"overseer approve (a_[0-9a-z]+)")]
    private static partial Regex ApprovalHint();
}
