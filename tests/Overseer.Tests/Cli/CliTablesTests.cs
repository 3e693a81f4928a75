using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>What the tables and logs look like in a terminal: they fit it, and edits read as diffs.</summary>
[Collection(CliCollection.Name)]
public sealed class CliTablesTests(CliFixture fixture)
{
    private const string LongPrompt = "Give me a tour of the parser, then find out why the nightly build keeps failing on the integration tests and fix it";

    private static string WaitingScript => JsonSerializer.Serialize(new object[]
    {
        new { tool = new { name = "Bash", input = new { command = "curl https://example.com/a/very/long/path/that/goes/on/and/on/for/quite/a/while/before/it/ends?with=a&query=string" }, output = "ok" } },
        new { ask = new { question = "Which of the three failing integration tests should I look at first, given that they share a fixture?", options = new[] { "the first", "the second" } } },
    });

    private async Task<string> RunAsync(string prompt, string script)
    {
        var result = await fixture.Cli.RunAsync("run", prompt, "--script", fixture.Script(script));
        result.ExitCode.ShouldBe(0, result.ToString());
        return result.Stdout.Trim();
    }

    private static void ShouldFit(CliResult result, int columns)
    {
        result.ExitCode.ShouldBe(0, result.ToString());
        foreach (var line in result.Stdout.Split('\n'))
            line.TrimEnd('\r').Length.ShouldBeLessThanOrEqualTo(columns, result.Stdout);
    }

    [Fact]
    public async Task Ls_NotATerminal_Fits80ColumnsAndShowsTheStartOfEachTitle()
    {
        var sessionId = await RunAsync(LongPrompt, """[{"say": "hi"}]""");
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);

        var table = await fixture.Cli.RunAsync("ls");

        ShouldFit(table, 80);
        table.Stdout.Split('\n')[0].ShouldContain("TITLE");
        var row = table.Stdout.Split('\n').Single(l => l.StartsWith(sessionId[..10], StringComparison.Ordinal));
        row.ShouldContain("Give me a tour");
        row.ShouldContain("…");
    }

    [Fact]
    public async Task LsAndPending_Columns120_UseTheWidthGiven()
    {
        var sessionId = await RunAsync(LongPrompt, WaitingScript);
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Waiting);
        var wide = new Dictionary<string, string?> { ["COLUMNS"] = "120" };

        var ls = await fixture.Cli.RunAsync(["ls"], environment: wide);
        var pending = await fixture.Cli.RunAsync(["pending"], environment: wide);

        ShouldFit(ls, 120);
        ShouldFit(pending, 120);
        ls.Stdout.Split('\n').Max(l => l.Length).ShouldBeGreaterThan(80, ls.Stdout);
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Pending_LongItems_Fit80ColumnsWithTheCommandThatResolvesEach()
    {
        var sessionId = await RunAsync("wait for me", WaitingScript);
        var approval = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending approval");

        var table = await fixture.Cli.RunAsync("pending", "--session", sessionId);

        ShouldFit(table, 80);
        var row = table.Stdout.Split('\n').Single(l => l.StartsWith("approval", StringComparison.Ordinal));
        row.ShouldContain("ORANGE $ curl https://");
        row.ShouldContain("…");
        var command = $"overseer approve {approval[0].GetProperty("id").GetString()![..10]}";
        row.TrimEnd().ShouldEndWith(command);
        // The command shown resolves the approval as it is.
        var approved = await fixture.Cli.RunAsync(command.Split(' ')[1..]);
        approved.ExitCode.ShouldBe(0, approved.ToString());
        await fixture.Client.PostAsync($"/api/sessions/{sessionId}/cancel", null);
    }

    [Fact]
    public async Task Logs_EditAndWrite_ShowAsTheDashboardsDiff()
    {
        var file = Path.Combine(fixture.Cli.WorkingDirectory, "parser.cs");
        var script = JsonSerializer.Serialize(new object[]
        {
            new { tool = new { name = "Edit", input = new { file_path = file, old_string = "int Parse(string s)\n    => 0;", new_string = "int Parse(string s)\n    => int.Parse(s);" }, output = "ok" } },
            new { tool = new { name = "Write", input = new { file_path = file + ".md", content = "# Parser\nParses numbers." }, output = "ok" } },
        });
        var sessionId = await RunAsync("fix the parser", script);
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);

        var logs = await fixture.Cli.RunAsync("logs", sessionId);

        logs.ExitCode.ShouldBe(0, logs.ToString());
        var lines = logs.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        var edit = lines.IndexOf("Edit " + file);
        edit.ShouldBeGreaterThanOrEqualTo(0, logs.Stdout);
        lines.Skip(edit + 1).Take(4).ShouldBe(["  -int Parse(string s)", "  -    => 0;", "  +int Parse(string s)", "  +    => int.Parse(s);"], logs.Stdout);
        var write = lines.IndexOf("Write " + file + ".md");
        lines.Skip(write + 1).Take(2).ShouldBe(["  +# Parser", "  +Parses numbers."], logs.Stdout);
    }
}
