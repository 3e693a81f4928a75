using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Core.Workspaces;
using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>
/// Overseer's own git runs in a project whose repository an agent has filled with programs (see
/// <see cref="HostileRepository"/>): worktree creation, change tracking for a phase review, merge
/// and discard, through the API, must run none of them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RepositoryProgramsTests : ServerTest
{
    private string Scratch => Path.Combine(Path.GetDirectoryName(DataDir)!, "scratch");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workspaces:WorktreeRoot"] = Path.Combine(Path.GetDirectoryName(DataDir)!, "worktrees"),
    };

    private async Task<(HostileRepository Repo, string ProjectId)> HostileProjectAsync()
    {
        var repo = await HostileRepository.CreateAsync(NewProjectDir(), Scratch);
        return (repo, (await Client.CreateProjectAsync(repo.Directory)).Id);
    }

    private async Task<(string Id, string Path)> IsolatedSessionAsync(string projectId, object[] script)
    {
        using var response = await Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new
        {
            projectId, prompt = "work", runtime = "scripted", isolation = "worktree", script,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (session.GetProperty("id").GetString()!, session.GetProperty("worktree").GetProperty("path").GetString()!);
    }

    /// <summary>A person's commit in the project with plain git, as people make them: the planted programs run (gpg aside, which would refuse).</summary>
    private static Task PersonCommitsAsync(HostileRepository repo, string message) =>
        GitRepo.RunAsync(repo.Directory, "-c", "commit.gpgSign=false", "commit", "-q", "-a", "-m", message);

    [Fact]
    public async Task PlainGit_InTheHostileRepository_RunsThePlantedPrograms()
    {
        // The control: without Overseer's sandbox the same repository runs its programs, so the
        // other tests' "nothing ran" means something.
        var (repo, _) = await HostileProjectAsync();
        var dir = repo.Directory;
        await GitRepo.RunAsync(dir, "checkout", "-q", "-b", "side");
        await File.WriteAllTextAsync(Path.Combine(dir, "README.md"), "# Project on the side\n\nline 1\nline 2\nline 3\nline 4\nline 5\n");
        await PersonCommitsAsync(repo, "side");
        await GitRepo.RunAsync(dir, "checkout", "-q", "main");
        await File.AppendAllTextAsync(Path.Combine(dir, "README.md"), "person\n");
        await File.AppendAllTextAsync(Path.Combine(dir, "extra.inc"), "person\n");
        await File.AppendAllTextAsync(Path.Combine(dir, "data.proc"), "person\n");
        await GitRepo.RunAsync(dir, "diff");
        await PersonCommitsAsync(repo, "person");
        await Should.ThrowAsync<InvalidOperationException>(() => GitRepo.RunAsync(dir, "commit", "-q", "--allow-empty", "-m", "signed"));
        await GitRepo.RunAsync(dir, "-c", "commit.gpgSign=false", "-c", "merge.verifySignatures=false", "merge", "-q", "--no-edit", "side");

        string[] expected =
        [
            "diff-command", "filter-clean", "filter-process", "filter-smudge", "fsmonitor", "gpg-program",
            "hooks-path-commit-msg", "hooks-path-post-checkout", "hooks-path-post-commit", "hooks-path-post-index-change", "hooks-path-post-merge",
            "hooks-path-pre-commit", "hooks-path-pre-merge-commit", "hooks-path-prepare-commit-msg", "hooks-path-reference-transaction",
            "included-filter-clean", "included-filter-smudge", "merge-driver",
        ];
        expected.ShouldBeSubsetOf(repo.Ran);
    }

    [Fact]
    public async Task IsolatedSession_InTheHostileRepository_WorktreePhaseReviewAndMergeRunNothing()
    {
        var (repo, projectId) = await HostileProjectAsync();
        // The agent asks before it ends the phase, so the test's edits land inside the phase (after
        // its snapshot, before its diff) however slow the machine is.
        var (id, path) = await IsolatedSessionAsync(projectId,
            [new { say = "working" }, new { ask = new { question = "Edited?", options = new[] { "yes" } } }, new { say = "=== PHASE 1 COMPLETE ===" }]);
        await Client.WaitForStatusAsync(id, SessionStatus.Waiting);
        // The agent's work during the phase: an edit to a filtered file and a new file.
        await File.WriteAllTextAsync(Path.Combine(path, "README.md"), "# Project by the agent\n\nline 1\nline 2\nline 3\nline 4\nline 5\n");
        await File.WriteAllTextAsync(Path.Combine(path, "feature.txt"), "new\n");
        var questionId = JsonDocument.Parse(await Client.GetStringAsync($"/api/questions?status=pending&sessionId={id}")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        (await Client.PostJsonAsync($"/api/questions/{questionId}/answer", "{\"answers\": {\"Edited?\": \"yes\"}}")).EnsureSuccessStatusCode();

        await Poll.UntilAsync(async () => (await Client.GetSessionAsync(id)).Pending.Reviews, reviews => reviews == 1, what: "the phase review");
        var reviewId = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews?status=pending&sessionId={id}")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var review = JsonDocument.Parse(await Client.GetStringAsync($"/api/reviews/{reviewId}")).RootElement;
        review.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ShouldBe(["README.md", "feature.txt"], ignoreOrder: true);
        review.GetProperty("diff").GetString()!.ShouldContain("+# Project by the agent");
        repo.Ran.ShouldBeEmpty("worktree add, the turn's snapshot and the phase diff");

        (await Client.PostJsonAsync($"/api/reviews/{reviewId}/approve", "{}")).EnsureSuccessStatusCode();
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);
        // Someone else's commit in the project, so the merge is a real merge commit.
        await File.AppendAllTextAsync(Path.Combine(repo.Directory, "notes.txt"), "a person's note\n");
        await PersonCommitsAsync(repo, "a person's note");
        repo.Ran.ShouldContain("hooks-path-pre-commit", "plain git runs the planted programs");
        repo.ClearMarkers();

        using var merged = await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}");
        merged.StatusCode.ShouldBe(HttpStatusCode.OK, await merged.Content.ReadAsStringAsync());
        File.ReadAllText(Path.Combine(repo.Directory, "README.md")).ShouldStartWith("# Project by the agent");
        File.ReadAllText(Path.Combine(repo.Directory, "feature.txt")).ShouldBe("new\n");
        (await GitRepo.RunAsync(repo.Directory, "rev-parse", "HEAD^2")).ShouldNotBeEmpty("a merge commit");
        repo.Ran.ShouldBeEmpty("the commit in the worktree and the merge");
    }

    [Fact]
    public async Task Merge_ThatNeedsTheRepositorysMergeDriver_IsAConflict_AndDiscardRunsNothing()
    {
        var (repo, projectId) = await HostileProjectAsync();
        var (id, path) = await IsolatedSessionAsync(projectId, [new { say = "hi" }]);
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);
        // Both sides change README.md in different places: plain git would hand it to merge.x.driver.
        await File.WriteAllTextAsync(Path.Combine(path, "README.md"), "# Project by the agent\n\nline 1\nline 2\nline 3\nline 4\nline 5\n");
        await File.WriteAllTextAsync(Path.Combine(repo.Directory, "README.md"), "# Project\n\nline 1\nline 2\nline 3\nline 4\nline 5 by a person\n");
        await PersonCommitsAsync(repo, "a person's edit");
        repo.ClearMarkers();

        using var response = await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("MERGE_CONFLICT");
        problem.GetProperty("conflicts").EnumerateArray().Select(c => c.GetString()).ShouldBe(["README.md"]);
        File.ReadAllText(Path.Combine(repo.Directory, "README.md")).ShouldEndWith("line 5 by a person\n");
        repo.Ran.ShouldBeEmpty("the commit in the worktree, the merge and its abort");

        (await Client.PostJsonAsync($"/api/sessions/{id}/discard", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        Directory.Exists(path).ShouldBeFalse();
        (await GitRepo.RunAsync(repo.Directory, "branch", "--list", "overseer/*")).Trim().ShouldBeEmpty();
        repo.Ran.ShouldBeEmpty("worktree remove, prune and branch -D");
        (await Client.GetEventsAsync(id)).ShouldNotContain(e => e.Type == EventTypes.WorkspaceMerged);
    }

    [Fact]
    public async Task PhaseSnapshot_ACheckedOutSubmoduleDefinesItsOwnFilter_ItDoesNotRun()
    {
        var (repo, _) = await HostileProjectAsync();
        var library = NewProjectDir();
        await GitRepo.InitAsync(library);
        await GitRepo.RunAsync(repo.Directory, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library, "lib");
        await PersonCommitsAsync(repo, "a library");
        var lib = Path.Combine(repo.Directory, "lib");
        await GitRepo.RunAsync(lib, "config", "filter.s.clean", repo.MarkerScript("submodule-filter-clean"));
        await File.WriteAllTextAsync(Path.Combine(lib, ".gitattributes"), "* filter=s\n");
        // Same size, new content and time: git must read the file to know whether the submodule is dirty.
        await File.WriteAllTextAsync(Path.Combine(lib, "README.md"), "# Pro-ect\n");
        File.SetLastWriteTimeUtc(Path.Combine(lib, "README.md"), DateTime.UtcNow.AddMinutes(1));
        repo.ClearMarkers();

        await ChangeTracker.SnapshotAsync(repo.Directory, CancellationToken.None);
        repo.Ran.ShouldBeEmpty("git add -A looks into the submodule with git status");

        await GitRepo.RunAsync(repo.Directory, "status");
        repo.Ran.ShouldContain("submodule-filter-clean", "plain git runs the submodule's filter");
    }
}
