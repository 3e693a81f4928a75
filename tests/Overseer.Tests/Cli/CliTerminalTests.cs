using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>
/// <c>attach</c> as a person at a terminal sees it: the CLI runs in a real pseudo-terminal, the
/// test types keys into it and reads what it shows. Decisions are checked through the API.
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class CliTerminalTests(CliFixture fixture)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private const string NetworkScript = """
        [{"say": "Fetching the page."},
         {"tool": {"name": "Bash", "input": {"command": "curl https://example.com"}, "output": "<html>fetched</html>"}},
         {"say": "Fetched it."}]
        """;

    private const string ForcePushScript = """
        [{"say": "Pushing."},
         {"tool": {"name": "Bash", "input": {"command": "git push --force origin main"}, "output": "pushed"}},
         {"say": "Pushed."}]
        """;

    private const string QuestionScript = """
        [{"ask": {"question": "Which color?", "options": ["red", "blue"]}}, {"say": "Painting it."}]
        """;

    private const string Secret = "sk-live-7Hq2ZpX9";

    private static string DependencyScript => JsonSerializer.Serialize(new object[]
    {
        new { say = "[DEPENDENCY_REQUEST]\ntype: api_key\nname: MAPS_KEY\ndescription: maps\nrequired: true\n[/DEPENDENCY_REQUEST]" },
        new { say = "Using the key." },
    });

    private async Task<string> StartSessionAsync(string script)
    {
        var project = await fixture.Client.CreateProjectAsync(fixture.NewProjectDir());
        return (await fixture.Client.CreateSessionAsync(project.Id, script)).Id;
    }

    private PtyCliProcess Attach(string sessionId, bool noColor = false) =>
        PtyCliProcess.Start(fixture.Cli, ["attach", sessionId, "--exit-on-idle"], noColor);

    private async Task<T> OnlyItemAsync<T>(string kind, string sessionId, JsonTypeInfo<ListResponse<T>> type)
    {
        var page = await fixture.Client.GetFromJsonAsync($"/api/{kind}?sessionId={sessionId}", type);
        return page!.Items.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task RunAttach_ApprovalAnsweredYes_ApprovesAndTheSessionGoesIdle()
    {
        await using var cli = PtyCliProcess.Start(fixture.Cli, ["run", "fetch the page", "--script", fixture.Script(NetworkScript), "--attach"]);

        var shown = await cli.WaitForAsync("approve? [y]es / [n]o");
        await cli.TypeLineAsync("y");

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var sessionId = SessionId().Match(cli.Output).Value;
        var approval = await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto);
        shown.ShouldContain($"⚠ approval {approval.Id} ORANGE $ curl https://example.com");
        approval.Status.ShouldBe("approved");
        approval.Decision.ShouldBe("approved");
        approval.DecidedBy.ShouldBe("admin");
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Idle);
        var after = cli.Output[cli.Output.IndexOf("approve? [y]es", StringComparison.Ordinal)..];
        after.ShouldContain($"✓ approved {approval.Id} by admin (approve)");
        after.ShouldContain("Fetched it.");
        after.TrimEnd().ShouldEndWith("● idle (turn finished)");
    }

    [Fact]
    public async Task Attach_RedApprovalWrongPhrase_IsRefusedAndAskedAgainThenTheRightPhraseApproves()
    {
        var sessionId = await StartSessionAsync(ForcePushScript);
        await using var cli = Attach(sessionId);

        var prompt = await cli.WaitForAsync("to approve");
        var phrase = ConfirmPrompt().Match(prompt).Groups[1].Value;
        phrase.ShouldNotBeEmpty(prompt);
        await cli.TypeLineAsync("push it");
        await cli.WaitForAsync("not the confirmation phrase");
        await cli.WaitForAsync($"type '{phrase}' to approve");
        (await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto)).Status.ShouldBe("pending");
        await cli.TypeLineAsync(phrase);

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var approval = await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto);
        approval.Tier.ShouldBe("RED");
        approval.Decision.ShouldBe("approved");
        approval.DecidedBy.ShouldBe("admin");
        cli.Output.ShouldContain("Pushed.");
    }

    [Fact]
    public async Task Attach_RedApprovalAnsweredN_DeniesWithTheReasonGiven()
    {
        var sessionId = await StartSessionAsync(ForcePushScript);
        await using var cli = Attach(sessionId);

        await cli.WaitForAsync("to approve, or n to deny: ");
        await cli.TypeLineAsync("n");
        await cli.WaitForAsync("reason for the agent (optional): ");
        await cli.TypeLineAsync("not on main");

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var approval = await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto);
        approval.Decision.ShouldBe("denied");
        approval.DecisionReason.ShouldNotBeNull().ShouldEndWith("not on main");
    }

    [Theory]
    [InlineData("2", "blue")]
    [InlineData("teal, like the sea", "teal, like the sea")]
    public async Task Attach_QuestionAnsweredAtThePrompt_RecordsThatAnswer(string typed, string expected)
    {
        var sessionId = await StartSessionAsync(QuestionScript);
        await using var cli = Attach(sessionId);

        var shown = await cli.WaitForAsync("Which color? (a number or your own answer): ");
        shown.ShouldContain("    1. red\n    2. blue\n");
        await cli.TypeLineAsync(typed);

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var question = await OnlyItemAsync("questions", sessionId, OverseerJson.Default.ListResponseQuestionDto);
        question.Status.ShouldBe("answered");
        question.Answers!["Which color?"].GetString().ShouldBe(expected);
        cli.Output.ShouldContain("Painting it.");
    }

    [Fact]
    public async Task Attach_DependencyValueTyped_IsMaskedAndProvided()
    {
        var sessionId = await StartSessionAsync(DependencyScript);
        await using var cli = Attach(sessionId);

        // Typed the moment the prompt starts to show, before its read has begun: the terminal
        // itself must not echo it either.
        await cli.WaitForAsync("value for MAPS_KEY");
        await cli.TypeLineAsync(Secret);

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var dependency = await OnlyItemAsync("dependencies", sessionId, OverseerJson.Default.ListResponseDependencyDto);
        dependency.Status.ShouldBe("provided");
        dependency.ProvidedBy.ShouldBe("admin");
        cli.Output.ShouldContain("value for MAPS_KEY (hidden; Enter to leave it for later): " + new string('*', Secret.Length) + "\n");
        cli.RawOutput.ShouldNotContain(Secret[..6], customMessage: cli.Output);
    }

    [Fact]
    public async Task RunAttach_ColourTerminal_WritesSgrCodes()
    {
        await using var cli = PtyCliProcess.Start(fixture.Cli, ["run", "say hi", "--script", fixture.Script("""[{"say": "Hello."}]"""), "--attach"]);

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        PtyCliProcess.HasSgr(cli.RawOutput).ShouldBeTrue(cli.RawOutput);
        cli.RawOutput.ShouldContain("\u001b[32m● idle (turn finished)\u001b[0m");
    }

    [Fact]
    public async Task RunAttach_NoColor_WritesNoColourOrCursorEscapes()
    {
        await using var cli = PtyCliProcess.Start(fixture.Cli, ["run", "say hi", "--script", fixture.Script("""[{"say": "Hello."}]"""), "--attach"], noColor: true);

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        cli.Output.ShouldContain("● idle (turn finished)");
        PtyCliProcess.HasSgr(cli.RawOutput).ShouldBeFalse(cli.RawOutput);
        // The runtime switches the keypad to application mode on any terminal (invisible, not ours to
        // drop); beyond that, nothing: no colours, no spinner, no line clearing.
        KeypadMode().Replace(cli.RawOutput, "").ShouldNotContain("\u001b");
    }

    [Fact]
    public async Task Attach_CtrlCOnce_DetachesWithExit0AndTheSessionKeepsRunning()
    {
        var sessionId = await StartSessionAsync("""[{"say": "Thinking hard."}, {"sleep": 60000}, {"say": "never seen"}]""");
        await using var cli = Attach(sessionId);
        await cli.WaitForAsync("Thinking hard.");

        await cli.PressCtrlCAsync();

        await cli.WaitForAsync("detaching; press Ctrl-C again within 2 s to interrupt the session");
        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Running);
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Attach_CtrlCTwice_InterruptsTheSessionAndExits130()
    {
        var sessionId = await StartSessionAsync("""[{"say": "Working on it."}, {"sleep": 60000}, {"say": "never seen"}]""");
        await using var cli = Attach(sessionId);
        await cli.WaitForAsync("Working on it.");

        await cli.PressCtrlCAsync();
        await cli.WaitForAsync("Ctrl-C again");
        await cli.PressCtrlCAsync();

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(130, cli.Output);
        cli.Output.ShouldContain($"interrupted {sessionId}");
        var session = await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        session.Reason.ShouldBe("interrupted");
        (await fixture.Client.GetEventsAsync(sessionId)).ShouldNotContain(e => e.Type == EventTypes.AgentText && e.Data.GetProperty("text").GetString() == "never seen");
    }

    [Fact]
    public async Task Attach_CtrlCAtAPrompt_DetachesAndLeavesTheApprovalPending()
    {
        var sessionId = await StartSessionAsync(NetworkScript);
        await using var cli = Attach(sessionId);
        await cli.WaitForAsync("approve? [y]es / [n]o");

        await cli.PressCtrlCAsync();

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        (await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto)).Status.ShouldBe("pending");
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Attach_CtrlCAtAnApprovalPromptThenY_DecidesNothing()
    {
        var sessionId = await StartSessionAsync(NetworkScript);
        await using var cli = Attach(sessionId);
        await cli.WaitForAsync("approve? [y]es / [n]o");

        await cli.PressCtrlCAsync();
        await cli.WaitForAsync("detaching");
        // Typed while the attach is still on its way out: it must not be read as an answer.
        await cli.TypeLineAsync("y");

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        (await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto)).Status.ShouldBe("pending", cli.Output);
        (await fixture.Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Waiting);
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Attach_CtrlCAtTheDenialReasonThenALine_DecidesNothing()
    {
        var sessionId = await StartSessionAsync(NetworkScript);
        await using var cli = Attach(sessionId);
        await cli.WaitForAsync("approve? [y]es / [n]o");
        await cli.TypeLineAsync("n");
        await cli.WaitForAsync("reason for the agent (optional): ");

        await cli.PressCtrlCAsync();
        await cli.WaitForAsync("detaching");
        await cli.TypeLineAsync("git status");

        (await cli.WaitForExitAsync(ExitTimeout)).ShouldBe(0, cli.Output);
        var approval = await OnlyItemAsync("approvals", sessionId, OverseerJson.Default.ListResponseApprovalDto);
        approval.Status.ShouldBe("pending", cli.Output);
        approval.DecisionReason.ShouldBeNull();
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [GeneratedRegex(@"s_[0-9a-z]+")]
    private static partial Regex SessionId();

    [GeneratedRegex(@"type '([^']+)' to approve")]
    private static partial Regex ConfirmPrompt();

    [GeneratedRegex(@"\u001b\[\?1[hl]|\u001b[=>]")]
    private static partial Regex KeypadMode();
}
