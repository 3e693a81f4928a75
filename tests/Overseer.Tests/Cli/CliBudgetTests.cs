using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>
/// <c>overseer budget</c> and <c>overseer predict</c> as a person types them. The server is shared
/// with the other CLI tests: only budgets of this test's own project and session are set.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CliBudgetTests(CliFixture fixture)
{
    [Fact]
    public async Task Budget_SetListApproveRemove_AndPredict_FromNoHistoryToARun()
    {
        var dir = fixture.NewProjectDir();
        var name = Path.GetFileName(dir);
        (await fixture.Cli.RunAsync("projects", "add", dir)).ExitCode.ShouldBe(0);

        var none = await fixture.Cli.RunAsync("predict", "--project", dir);
        none.ExitCode.ShouldBe(0, none.ToString());
        none.Stdout.ShouldBe("No history yet: no finished run of this project.\n");

        var set = await fixture.Cli.RunAsync("budget", "set", "project", dir, "--usd", "5", "--period", "month");
        set.ExitCode.ShouldBe(0, set.ToString());
        var budgetId = set.Stdout.Trim();
        budgetId.ShouldStartWith("b_");
        set.Stderr.ShouldBe($"project {name}: $5.00 a month, $0.00 spent (0%).\n");

        var script = fixture.Script("""[{"say": "spending"}, {"usage": {"inputTokens": 100, "outputTokens": 20, "costUsd": 0.6}}, {"say": "after"}]""");
        var run = await fixture.Cli.RunAsync("run", "Spend.", "--project", dir, "--script", script, "--budget", "0.5");
        run.ExitCode.ShouldBe(0, run.ToString());
        var sessionId = run.Stdout.Trim();
        var paused = await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Paused);
        paused.Reason.ShouldBe("budget");

        var table = await fixture.Cli.RunAsync(["budget", "ls", "--project", dir], environment: new Dictionary<string, string?> { ["COLUMNS"] = "200" });
        table.ExitCode.ShouldBe(0, table.ToString());
        var lines = table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("ID");
        var month = DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        Columns(lines.Single(l => l.StartsWith(budgetId, StringComparison.Ordinal))).ShouldBe([budgetId, "project", name, "month", month, "$5.00", "$0.60", "12", "ok"]);
        Columns(lines.Single(l => l.StartsWith("b_" + sessionId, StringComparison.Ordinal))).ShouldBe(["b_" + sessionId, "session", sessionId, "session", "$0.50", "$0.60", "120", "exceeded"]);

        var refused = await fixture.Cli.RunAsync("resume", sessionId);
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain("$0.60 of this session's budget ($0.50) is spent (120%).");
        refused.Stderr.ShouldContain("(BUDGET_EXCEEDED)");

        var approve = await fixture.Cli.RunAsync("budget", "approve-overrun", sessionId[..12], "--usd", "1");
        approve.ExitCode.ShouldBe(0, approve.ToString());
        approve.Stdout.ShouldStartWith(sessionId + " ");
        await fixture.Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);

        var predicted = await fixture.Cli.RunAsync("predict", "--project", dir);
        predicted.Stdout.ShouldBe("median $0.60, 90th percentile $0.60 (last 1 run of this project)\n");
        var json = await fixture.Cli.RunAsync("predict", "--project", dir, "--json");
        JsonSerializer.Deserialize(json.Stdout, OverseerJson.Default.CostPredictionDto).ShouldBe(new Contracts.Api.CostPredictionDto("project", 1, 0.6m, 0.6m));

        (await fixture.Cli.RunAsync("budget", "rm", budgetId)).Stdout.ShouldBe($"Removed {budgetId}\n");
        var listed = await fixture.Cli.RunAsync("budget", "ls", "--project", dir, "--json");
        JsonSerializer.Deserialize(listed.Stdout, OverseerJson.Default.IReadOnlyListBudgetDto)!.Select(b => b.Id).ShouldBe(["b_" + sessionId]);
        var gone = await fixture.Cli.RunAsync("budget", "rm", budgetId);
        gone.ExitCode.ShouldBe(4, gone.ToString());
        gone.Stderr.ShouldBe($"overseer: No budget has id '{budgetId}'.\n");
    }

    [Fact]
    public async Task BudgetSet_WrongTargetOrScope_IsAUsageError()
    {
        var global = await fixture.Cli.RunAsync("budget", "set", "global", "somewhere", "--usd", "5");
        global.ExitCode.ShouldBe(2, global.ToString());
        global.Stderr.ShouldBe("overseer: a global budget has no target\n");

        var project = await fixture.Cli.RunAsync("budget", "set", "project", "--usd", "5");
        project.ExitCode.ShouldBe(2, project.ToString());
        project.Stderr.ShouldContain("a project budget needs its project");

        var scope = await fixture.Cli.RunAsync("budget", "set", "team", "--usd", "5");
        scope.ExitCode.ShouldBe(2, scope.ToString());
        scope.Stderr.ShouldContain("team");

        var dir = fixture.NewProjectDir();
        (await fixture.Cli.RunAsync("projects", "add", dir)).ExitCode.ShouldBe(0);
        var period = await fixture.Cli.RunAsync("budget", "set", "project", dir, "--usd", "5", "--period", "week");
        period.ExitCode.ShouldBe(1, period.ToString());
        period.Stderr.ShouldBe("overseer: period must be \"day\" or \"month\" (UTC) for a project budget. (INVALID_FIELD)\n");
    }

    /// <summary>A table row's cells, split on the runs of spaces between columns (and the spaces inside the FOR and PERIOD cells).</summary>
    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
