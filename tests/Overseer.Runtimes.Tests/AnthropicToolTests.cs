using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// Each built-in tool of the anthropic runtime, through the safety gate: run at once when the gate
/// allows it, held for a person when it does not, and then approved or denied. Approved calls on
/// paths outside the project still reach nothing there: the session's tools see its files only.
/// </summary>
public sealed class AnthropicToolTests(ToolsFixture world) : IClassFixture<ToolsFixture>, IAsyncLifetime
{
    public Task InitializeAsync()
    {
        world.Api.Reset();
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> AllowedTools => ["Bash", "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep", "TodoWrite"];

    /// <summary>WebFetch always waits for a person; the others do when they reach outside the project.</summary>
    public static TheoryData<string> HeldTools => ["Bash", "WebFetch", "Read", "Write", "Edit", "MultiEdit", "Glob", "Grep"];

    [Theory]
    [MemberData(nameof(AllowedTools))]
    public async Task ToolInsideTheProject_RunsWithoutAsking_AndTheModelGetsClaudeCodesResult(string tool)
    {
        var (dir, project) = await world.NewProjectAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "alpha\nneedle here\n");
        Directory.CreateDirectory(Path.Combine(dir, "src", "sub"));
        await File.WriteAllTextAsync(Path.Combine(dir, "src", "a.cs"), "class A {}");
        await File.WriteAllTextAsync(Path.Combine(dir, "src", "sub", "b.cs"), "class B {}");
        var (input, check) = InsideCase(tool, dir);
        world.Api.Enqueue(MockReply.ToolUse(tool, input));
        world.Api.Enqueue(MockReply.Text("Done."));
        var id = await world.StartSessionAsync(project, $"Use {tool}");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await world.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.ToolCall).Data.GetProperty("name").GetString().ShouldBe(tool);
        events.Single(e => e.Type == EventTypes.ToolDecided).Data.GetProperty("decision").GetString().ShouldBe("allow");
        events.ShouldNotContain(e => e.Type == EventTypes.ApprovalRequested);
        var result = (await world.ToolResultsAsync(id)).Single();
        result.IsError.ShouldBeFalse(result.Output);
        check(result.Output);
        // What the model read next is the same result.
        AnthropicFixture.Blocks(world.Api.ConversationRequests[1]).Single(b => (string?)b["type"] == "tool_result")["content"]!.GetValue<string>().ShouldBe(result.Output);
    }

    private static (object Input, Action<string> Check) InsideCase(string tool, string dir) => tool switch
    {
        "Bash" => (new { command = "printf made > made.txt && cd src && echo done", description = "make a file" }, output =>
        {
            output.ShouldBe("done");
            File.ReadAllText(Path.Combine(dir, "made.txt")).ShouldBe("made");
        }),
        "Read" => (new { file_path = Path.Combine(dir, "notes.txt") }, output => output.ShouldBe("     1\talpha\n     2\tneedle here")),
        "Write" => (new { file_path = Path.Combine(dir, "new", "written.txt"), content = "fresh\n" }, output =>
        {
            output.ShouldBe($"File created successfully at: {Path.Combine(dir, "new", "written.txt")}");
            File.ReadAllText(Path.Combine(dir, "new", "written.txt")).ShouldBe("fresh\n");
        }),
        "Edit" => (new { file_path = Path.Combine(dir, "notes.txt"), old_string = "alpha", new_string = "omega" }, output =>
        {
            output.ShouldStartWith($"The file {Path.Combine(dir, "notes.txt")} has been updated.");
            output.ShouldContain("     1\tomega");
            File.ReadAllText(Path.Combine(dir, "notes.txt")).ShouldBe("omega\nneedle here\n");
        }),
        "MultiEdit" => (new { file_path = Path.Combine(dir, "notes.txt"), edits = new object[] { new { old_string = "alpha", new_string = "one" }, new { old_string = "needle", new_string = "pin" } } }, output =>
        {
            output.ShouldStartWith($"Applied 2 edits to {Path.Combine(dir, "notes.txt")}:");
            File.ReadAllText(Path.Combine(dir, "notes.txt")).ShouldBe("one\npin here\n");
        }),
        "Glob" => (new { pattern = "**/*.cs" }, output =>
            output.Split('\n').Order().ShouldBe([Path.Combine(dir, "src", "a.cs"), Path.Combine(dir, "src", "sub", "b.cs")])),
        "Grep" => (new { pattern = "need+le" }, output => output.ShouldBe($"Found 1 file\n{Path.Combine(dir, "notes.txt")}")),
        "TodoWrite" => (new { todos = new object[] { new { content = "Write tests", status = "in_progress", activeForm = "Writing tests" } } }, output =>
            output.ShouldStartWith("Todos have been modified successfully.")),
        _ => throw new ArgumentOutOfRangeException(nameof(tool)),
    };

    [Theory]
    [MemberData(nameof(HeldTools))]
    public async Task ToolHeldAtTheGate_Denied_DoesNothing_AndTheModelReadsTheReason(string tool)
    {
        var (dir, project) = await world.NewProjectAsync();
        var hits = world.Page.Hits;
        var (input, _) = HeldCase(tool, dir);
        world.Api.Enqueue(MockReply.ToolUse(tool, input));
        world.Api.Enqueue(MockReply.Text("Understood."));
        var id = await world.StartSessionAsync(project, $"Use {tool}");

        var approval = await world.PendingApprovalAsync(id);
        approval.GetProperty("tool").GetString().ShouldBe(tool);
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);
        await world.DecideAsync(approval, approve: false, "{\"reason\": \"not today\"}");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var result = (await world.ToolResultsAsync(id)).Single();
        result.IsError.ShouldBeTrue();
        result.Output.ShouldContain("not today");
        AnthropicFixture.Blocks(world.Api.ConversationRequests[1]).Single(b => (string?)b["type"] == "tool_result")["is_error"]!.GetValue<bool>().ShouldBeTrue();
        world.Page.Hits.ShouldBe(hits, "nothing was fetched");
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ShouldBeEmpty("nothing was written in the project");
        File.ReadAllText(Path.Combine(world.OutsideDir, "secret.txt")).ShouldStartWith(ToolsFixture.Secret, Case.Sensitive, "nothing outside changed");
        File.Exists(Path.Combine(world.OutsideDir, "written.txt")).ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(HeldTools))]
    public async Task ToolHeldAtTheGate_Approved_Runs_ButReachesOnlyTheSessionsFiles(string tool)
    {
        var (dir, project) = await world.NewProjectAsync();
        var (input, check) = HeldCase(tool, dir);
        world.Api.Enqueue(MockReply.ToolUse(tool, input));
        world.Api.Enqueue(MockReply.Text("Done."));
        var id = await world.StartSessionAsync(project, $"Use {tool}");

        var approval = await world.PendingApprovalAsync(id);
        var phrase = approval.TryGetProperty("confirmPhrase", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        await world.DecideAsync(approval, approve: true, phrase is null ? "{}" : JsonSerializer.Serialize(new { confirm = phrase }));
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var result = (await world.ToolResultsAsync(id)).Single();
        check(result.Output, result.IsError);
        result.Output.ShouldNotContain(ToolsFixture.Secret);
        File.ReadAllText(Path.Combine(world.OutsideDir, "secret.txt")).ShouldBe(ToolsFixture.Secret + "\nsecond line\n");
        File.Exists(Path.Combine(world.OutsideDir, "written.txt")).ShouldBeFalse();
    }

    private (object Input, Action<string, bool> Check) HeldCase(string tool, string dir)
    {
        var outside = world.OutsideDir;
        var secret = Path.Combine(outside, "secret.txt");
        void OutsideRefused(string output, bool isError)
        {
            isError.ShouldBeTrue(output);
            output.ShouldContain("outside this session's working directory");
        }
        return tool switch
        {
            // The approved command runs in the sandbox: the page comes in, the directory outside is not there.
            "Bash" => (new { command = $"curl -s {world.Page.PageUrl} -o page.html; cat {secret}", description = "fetch the page" }, (output, isError) =>
            {
                File.ReadAllText(Path.Combine(dir, "page.html")).ShouldBe(PageServer.Html);
                isError.ShouldBeTrue(output);
                output.ShouldContain("No such file or directory");
            }),
            "WebFetch" => (new { url = world.Page.PageUrl.ToString(), prompt = "What changed?" }, (output, isError) =>
            {
                isError.ShouldBeFalse(output);
                output.ShouldContain("Release 4.2");
                output.ShouldContain("The widget now & always spins.");
                output.ShouldNotContain("hidden");
                output.ShouldContain("What changed?");
            }),
            "Read" => (new { file_path = secret }, OutsideRefused),
            "Write" => (new { file_path = Path.Combine(outside, "written.txt"), content = "x" }, OutsideRefused),
            "Edit" => (new { file_path = secret, old_string = ToolsFixture.Secret, new_string = "gone" }, OutsideRefused),
            "MultiEdit" => (new { file_path = secret, edits = new object[] { new { old_string = ToolsFixture.Secret, new_string = "gone" } } }, OutsideRefused),
            "Glob" => (new { pattern = "*.txt", path = outside }, OutsideRefused),
            "Grep" => (new { pattern = "SECRET", path = outside }, OutsideRefused),
            _ => throw new ArgumentOutOfRangeException(nameof(tool)),
        };
    }

    [Fact]
    public async Task RedCall_NeedsItsPhrase_ThenRunsInTheSandbox()
    {
        var (dir, project) = await world.NewProjectAsync();
        world.Api.Enqueue(MockReply.Bash("git reset --hard HEAD~3", "undo three commits"));
        world.Api.Enqueue(MockReply.Text("Reset."));
        var id = await world.StartSessionAsync(project, "Undo it");

        var approval = await world.PendingApprovalAsync(id);
        approval.GetProperty("tier").GetString().ShouldBe("RED");
        var phrase = approval.GetProperty("confirmPhrase").GetString()!;
        using (var wrong = await world.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{\"confirm\": \"sure\"}"))
            wrong.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await world.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);

        await world.DecideAsync(approval, approve: true, JsonSerializer.Serialize(new { confirm = phrase }));
        await world.WaitForStatusAsync(id, SessionStatus.Idle);
        var result = (await world.ToolResultsAsync(id)).Single();
        result.IsError.ShouldBeTrue("the project is no git repository, so git fails: but it ran");
        result.Output.ShouldContain("not a git repository");
        var sandbox = (await world.EventsAsync(id)).Single(e => e.Type == EventTypes.AgentSandbox).Data;
        sandbox.GetProperty("mode").GetString().ShouldBe(File.Exists("/usr/bin/bwrap") ? "bubblewrap" : "off");
        Directory.Exists(dir).ShouldBeTrue();
    }

    [Fact]
    public async Task BashDirectory_CarriesOverToTheNextCommand()
    {
        var (dir, project) = await world.NewProjectAsync();
        Directory.CreateDirectory(Path.Combine(dir, "pkg"));
        world.Api.Enqueue(MockReply.Bash("cd pkg"));
        world.Api.Enqueue(MockReply.Bash("pwd && touch here.txt"));
        world.Api.Enqueue(MockReply.Text("Done."));
        var id = await world.StartSessionAsync(project, "Work in pkg");
        await world.WaitForStatusAsync(id, SessionStatus.Idle);

        var results = await world.ToolResultsAsync(id);
        results[0].Output.ShouldBe("(Bash completed with no output)");
        results[1].Output.ShouldBe(Path.Combine(dir, "pkg"));
        File.Exists(Path.Combine(dir, "pkg", "here.txt")).ShouldBeTrue();
    }
}
