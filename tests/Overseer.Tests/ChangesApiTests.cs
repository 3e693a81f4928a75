using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class ChangesApiTests : ServerTest
{
    private const int DiffCap = 4096;

    private string WorktreeRoot => Path.Combine(Path.GetDirectoryName(DataDir)!, "worktrees");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workspaces:WorktreeRoot"] = WorktreeRoot,
        ["Workspaces:MaxDiffChars"] = DiffCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An idle worktree session on a fresh repository holding README.md and old.txt.</summary>
    private async Task<(string ProjectDir, string Id, string Worktree)> IdleWorktreeSessionAsync()
    {
        var dir = NewProjectDir();
        await GitRepo.InitAsync(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "old.txt"), "going away\n");
        await GitRepo.CommitAllAsync(dir, "second");
        var project = await Client.CreateProjectAsync(dir);
        using var response = await Client.PostJsonAsync("/api/sessions",
            $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"work\", \"runtime\": \"scripted\", \"isolation\": \"worktree\", \"script\": [{{\"say\": \"hi\"}}]}}");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        return (dir, session.Id, session.Worktree!.Path);
    }

    private async Task<SessionChangesDto> ChangesAsync(string id)
    {
        using var response = await Client.GetAsync($"/api/sessions/{id}/changes");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionChangesDto))!;
    }

    [Fact]
    public async Task Changes_UncommittedWork_ListsEachFileWithCountsAndTheDiff()
    {
        var (_, id, worktree) = await IdleWorktreeSessionAsync();
        await File.WriteAllTextAsync(Path.Combine(worktree, "feature.txt"), "one\ntwo\n");
        await File.WriteAllTextAsync(Path.Combine(worktree, "README.md"), "# Project, renamed\n");
        File.Delete(Path.Combine(worktree, "old.txt"));

        var changes = await ChangesAsync(id);

        changes.State.ShouldBe("active");
        changes.Branch.ShouldBe("overseer/" + id[2..]);
        changes.Files.ShouldBe(
        [
            new ChangedFileDto("README.md", "modified", 1, 1),
            new ChangedFileDto("feature.txt", "added", 2, 0),
            new ChangedFileDto("old.txt", "deleted", 0, 1),
        ]);
        (changes.FileCount, changes.Additions, changes.Deletions).ShouldBe((3, 3, 2));
        changes.Diff.ShouldContain("+++ b/feature.txt");
        changes.Diff.ShouldContain("-# Project");
        changes.DiffTruncated.ShouldBeFalse();
        // Reading the changes commits nothing: the agent's work is still uncommitted in its worktree.
        (await GitRepo.RunAsync(worktree, "status", "--porcelain")).ShouldContain("?? feature.txt");
    }

    [Fact]
    public async Task Changes_DiffLargerThanTheCap_IsCutAndSaysSo()
    {
        var (_, id, worktree) = await IdleWorktreeSessionAsync();
        await File.WriteAllLinesAsync(Path.Combine(worktree, "big.txt"), Enumerable.Range(0, 2000).Select(i => $"line {i}"));

        var changes = await ChangesAsync(id);

        changes.DiffTruncated.ShouldBeTrue();
        changes.DiffLimit.ShouldBe(DiffCap);
        changes.Diff.Length.ShouldBe(DiffCap);
        changes.Files.ShouldHaveSingleItem().Additions.ShouldBe(2000);
    }

    [Fact]
    public async Task Changes_AfterMerge_StillShowTheBranchAndAfterDiscardAnswer409()
    {
        var (projectDir, id, worktree) = await IdleWorktreeSessionAsync();
        await File.WriteAllTextAsync(Path.Combine(worktree, "feature.txt"), "landed\n");
        (await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        File.Exists(Path.Combine(projectDir, "feature.txt")).ShouldBeTrue();

        var merged = await ChangesAsync(id);
        merged.State.ShouldBe("merged");
        merged.Files.ShouldBe([new ChangedFileDto("feature.txt", "added", 1, 0)]);

        var (_, other, _) = await IdleWorktreeSessionAsync();
        (await Client.PostJsonAsync($"/api/sessions/{other}/discard", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var discarded = await Client.GetAsync($"/api/sessions/{other}/changes");
        discarded.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await discarded.ProblemAsync()).GetProperty("code").GetString().ShouldBe(ErrorCodes.WorktreeDiscarded);
    }

    [Fact]
    public async Task Changes_SessionWithoutWorktreeOrUnknown_AnswerNoWorktreeOr404()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        var session = await Client.CreateSessionAsync(project.Id, "[{\"say\": \"hi\"}]");

        using var plain = await Client.GetAsync($"/api/sessions/{session.Id}/changes");
        plain.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await plain.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe(ErrorCodes.NoWorktree);
        problem.GetProperty("detail").GetString()!.ShouldContain("isolation");
        using var merge = await Client.PostJsonAsync($"/api/sessions/{session.Id}/merge", "{}");
        (await merge.ProblemAsync()).GetProperty("code").GetString().ShouldBe(ErrorCodes.NoWorktree);

        using var unknown = await Client.GetAsync("/api/sessions/s_nope/changes");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ProblemAsync()).GetProperty("code").GetString().ShouldBe(ErrorCodes.SessionNotFound);
    }
}
