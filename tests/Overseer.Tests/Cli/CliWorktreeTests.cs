using System.Net;
using System.Net.Http.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary><c>overseer diff|merge|discard</c> and <c>overseer search</c>, each a separate process against a real server.</summary>
public sealed class CliWorktreeTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private TestServer _server = null!;
    private CliEnvironment _cli = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync(Path.Combine(_temp.Path, "data"), _temp.Create("projects"),
            new Dictionary<string, string?> { ["Workspaces:WorktreeRoot"] = Path.Combine(_temp.Path, "worktrees") });
        _cli = new CliEnvironment(_temp.Create("home"));
        var login = await _cli.RunAsync(["login", _server.Address.ToString(), "--token", _server.Token]);
        login.ExitCode.ShouldBe(0, login.ToString());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>An idle worktree session whose agent left <paramref name="file"/> in its worktree.</summary>
    private async Task<(string ProjectDir, SessionDto Session)> SessionWithWorkAsync(string file, string content)
    {
        var dir = _temp.Create(Path.Combine("projects", Guid.NewGuid().ToString("N")[..8]));
        await GitRepo.InitAsync(dir);
        var project = await _server.Client.CreateProjectAsync(dir);
        using var response = await _server.Client.PostJsonAsync("/api/sessions",
            $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"Write the pangolin report\", \"runtime\": \"scripted\", \"isolation\": \"worktree\", \"script\": [{{\"say\": \"The pangolin report is written.\"}}]}}");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        await _server.Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        await File.WriteAllTextAsync(Path.Combine(session.Worktree!.Path, file), content);
        return (dir, session);
    }

    [Fact]
    public async Task Diff_WorktreeSession_PrintsTheDiffPlainWhenPipedAndTheFilesWithStat()
    {
        var (_, session) = await SessionWithWorkAsync("report.md", "# Pangolins\nscaly\n");

        var diff = await _cli.RunAsync("diff", session.Id[..8]);

        diff.ExitCode.ShouldBe(0, diff.ToString());
        diff.Stdout.ShouldContain("+++ b/report.md\n");
        diff.Stdout.ShouldContain("\n+scaly\n");
        diff.Stdout.ShouldNotContain("\u001b[");
        var stat = await _cli.RunAsync("diff", session.Id, "--stat");
        stat.Stdout.ShouldContain("+2 -0");
        stat.Stdout.ShouldContain("report.md");
        stat.Stdout.ShouldContain("1 file changed, +2 -0");
    }

    [Fact]
    public async Task Diff_OnATerminal_ColoursAdditionsGreen()
    {
        var (_, session) = await SessionWithWorkAsync("report.md", "scaly\n");

        await using var diff = PtyCliProcess.Start(_cli, ["diff", session.Id]);
        (await diff.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, diff.Output);

        diff.Output.ShouldContain("+scaly");
        diff.RawOutput.ShouldContain("\u001b[32m+scaly\u001b[0m");
    }

    [Fact]
    public async Task Merge_WorktreeSession_LandsTheFileAndASecondMergeIsRefused()
    {
        var (projectDir, session) = await SessionWithWorkAsync("report.md", "landed by the cli\n");

        var merge = await _cli.RunAsync("merge", session.Id);

        merge.ExitCode.ShouldBe(0, merge.ToString());
        merge.Stdout.ShouldStartWith($"merged {session.Worktree!.Branch} into the project");
        (await File.ReadAllTextAsync(Path.Combine(projectDir, "report.md"))).ShouldBe("landed by the cli\n");
        var again = await _cli.RunAsync("merge", session.Id);
        again.ExitCode.ShouldBe(1, again.ToString());
        again.Stderr.ShouldContain("already merged");
    }

    [Fact]
    public async Task Discard_AskedAndDeclined_KeepsTheWorkAndWithYesDeletesTheBranch()
    {
        var (projectDir, session) = await SessionWithWorkAsync("report.md", "draft\n");
        var branch = session.Worktree!.Branch;

        var declined = await _cli.RunAsync(["discard", session.Id], stdin: "n\n");
        declined.ExitCode.ShouldBe(1, declined.ToString());
        declined.Stderr.ShouldContain("1 file changed, +1 -0");
        declined.Stderr.ShouldContain("Nothing was discarded.");
        var closed = await _cli.RunAsync(["discard", session.Id], stdin: "");
        closed.ExitCode.ShouldBe(2, closed.ToString());
        closed.Stderr.ShouldContain("--yes");
        (await GitRepo.RunAsync(projectDir, "branch", "--list", branch)).ShouldContain(branch);

        var discarded = await _cli.RunAsync("discard", session.Id, "--yes");

        discarded.ExitCode.ShouldBe(0, discarded.ToString());
        discarded.Stdout.ShouldContain($"discarded {branch}");
        (await GitRepo.RunAsync(projectDir, "branch", "--list", branch)).Trim().ShouldBeEmpty();
        Directory.Exists(session.Worktree.Path).ShouldBeFalse();
    }

    [Fact]
    public async Task Discard_ConfirmedWithY_DeletesTheWorktree()
    {
        var (_, session) = await SessionWithWorkAsync("report.md", "draft\n");

        var discarded = await _cli.RunAsync(["discard", session.Id], stdin: "y\n");

        discarded.ExitCode.ShouldBe(0, discarded.ToString());
        Directory.Exists(session.Worktree!.Path).ShouldBeFalse();
    }

    [Fact]
    public async Task Search_WordFromTheTranscript_ListsTheSessionWithItsSnippet()
    {
        var (_, session) = await SessionWithWorkAsync("x.txt", "x");

        var found = await _cli.RunAsync("search", "pangolin", "written");

        found.ExitCode.ShouldBe(0, found.ToString());
        var lines = found.Stdout.Split('\n');
        lines[0].ShouldStartWith(session.Id[..10]);
        lines[0].ShouldContain("Write the pangolin report");
        found.Stdout.ShouldContain("The pangolin report is written.");
        var none = await _cli.RunAsync("search", "okapi");
        (none.ExitCode, none.Stdout).ShouldBe((0, ""));
        none.Stderr.ShouldContain("No session matches okapi");
        var bad = await _cli.RunAsync("search", "\"*\"");
        bad.ExitCode.ShouldBe(1, bad.ToString());
        bad.Stderr.ShouldContain("INVALID_QUERY");
    }
}
