using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class WorktreeTests : ServerTest
{
    private string WorktreeRoot => Path.Combine(Path.GetDirectoryName(DataDir)!, "worktrees");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Workspaces:WorktreeRoot"] = WorktreeRoot };

    private async Task<(string ProjectDir, string ProjectId)> GitProjectAsync()
    {
        var dir = NewProjectDir();
        await GitRepo.InitAsync(dir);
        return (dir, (await Client.CreateProjectAsync(dir)).Id);
    }

    private async Task<JsonElement> CreateIsolatedAsync(string projectId, string script = "[{\"say\": \"hi\"}]")
    {
        using var response = await Client.PostJsonAsync("/api/sessions",
            $"{{\"projectId\": \"{projectId}\", \"prompt\": \"work\", \"runtime\": \"scripted\", \"isolation\": \"worktree\", \"script\": {script}}}");
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Create_WorktreeOnAProjectThatIsNotAGitRepo_Answers400()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir());
        using var response = await Client.PostJsonAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"x\", \"isolation\": \"worktree\"}}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("NOT_A_GIT_REPO");
        using var bad = await Client.PostJsonAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"x\", \"isolation\": \"container\"}}");
        (await bad.ProblemAsync()).GetProperty("field").GetString().ShouldBe("isolation");
    }

    [Fact]
    public async Task Isolated_ChangesStayOnTheBranchUntilMerged()
    {
        var (projectDir, projectId) = await GitProjectAsync();
        var session = await CreateIsolatedAsync(projectId);
        var id = session.GetProperty("id").GetString()!;
        var worktree = session.GetProperty("worktree");
        var path = worktree.GetProperty("path").GetString()!;
        worktree.GetProperty("branch").GetString().ShouldBe("overseer/" + id[2..]);
        worktree.GetProperty("state").GetString().ShouldBe("active");
        (await GitRepo.RunAsync(path, "rev-parse", "--abbrev-ref", "HEAD")).Trim().ShouldBe("overseer/" + id[2..]);
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);

        // What the agent would do in its worktree: a new file and an edit, left uncommitted.
        await File.WriteAllTextAsync(Path.Combine(path, "feature.txt"), "new\n");
        await File.AppendAllTextAsync(Path.Combine(path, "README.md"), "More.\n");
        File.Exists(Path.Combine(projectDir, "feature.txt")).ShouldBeFalse("the project's checkout is untouched");

        using var merged = await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}");
        merged.StatusCode.ShouldBe(HttpStatusCode.OK, await merged.Content.ReadAsStringAsync());
        File.ReadAllText(Path.Combine(projectDir, "feature.txt")).ShouldBe("new\n");
        File.ReadAllText(Path.Combine(projectDir, "README.md")).ShouldContain("More.");
        (await Client.GetSessionAsync(id)).Worktree!.State.ShouldBe("merged");
        (await Client.GetEventsAsync(id)).ShouldContain(e => e.Type == EventTypes.WorkspaceMerged);
        using var again = await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}");
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Merge_Conflict_IsReportedAndNothingIsLost()
    {
        var (projectDir, projectId) = await GitProjectAsync();
        var session = await CreateIsolatedAsync(projectId);
        var id = session.GetProperty("id").GetString()!;
        var path = session.GetProperty("worktree").GetProperty("path").GetString()!;
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);
        await File.WriteAllTextAsync(Path.Combine(path, "README.md"), "# From the agent\n");
        await File.WriteAllTextAsync(Path.Combine(projectDir, "README.md"), "# From a person\n");
        await GitRepo.CommitAllAsync(projectDir, "person's edit");

        using var response = await Client.PostJsonAsync($"/api/sessions/{id}/merge", "{}");
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await response.ProblemAsync();
        problem.GetProperty("code").GetString().ShouldBe("MERGE_CONFLICT");
        problem.GetProperty("conflicts").EnumerateArray().Select(c => c.GetString()).ShouldBe(["README.md"]);
        File.ReadAllText(Path.Combine(projectDir, "README.md")).ShouldBe("# From a person\n");
        (await GitRepo.RunAsync(projectDir, "status", "--porcelain")).Trim().ShouldBeEmpty();
        (await GitRepo.RunAsync(projectDir, "show", $"overseer/{id[2..]}:README.md")).ShouldBe("# From the agent\n");
        (await Client.GetSessionAsync(id)).Worktree!.State.ShouldBe("active");
    }

    [Fact]
    public async Task Discard_LeavesNoBranchOrWorktree()
    {
        var (projectDir, projectId) = await GitProjectAsync();
        var session = await CreateIsolatedAsync(projectId);
        var id = session.GetProperty("id").GetString()!;
        var path = session.GetProperty("worktree").GetProperty("path").GetString()!;
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);
        await File.WriteAllTextAsync(Path.Combine(path, "scratch.txt"), "x");

        (await Client.PostJsonAsync($"/api/sessions/{id}/discard", "{}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        Directory.Exists(path).ShouldBeFalse();
        (await GitRepo.RunAsync(projectDir, "branch", "--list", "overseer/*")).Trim().ShouldBeEmpty();
        (await GitRepo.RunAsync(projectDir, "worktree", "list")).ShouldNotContain(path);
        (await Client.GetSessionAsync(id)).Worktree!.State.ShouldBe("discarded");
    }

    [Fact]
    public async Task MergeOrDiscard_WhileTheAgentWorks_Answers409()
    {
        var (_, projectId) = await GitProjectAsync();
        var session = await CreateIsolatedAsync(projectId, "[{\"sleep\": 60000}]");
        var id = session.GetProperty("id").GetString()!;
        await Client.WaitForStatusAsync(id, SessionStatus.Running);
        foreach (var action in new[] { "merge", "discard" })
        {
            using var response = await Client.PostJsonAsync($"/api/sessions/{id}/{action}", "{}");
            response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("INVALID_STATE");
        }
        var plain = await Client.CreateSessionAsync((await Client.GetSessionAsync(id)).ProjectId, "[{\"say\": \"x\"}]");
        using var none = await Client.PostJsonAsync($"/api/sessions/{plain.Id}/merge", "{}");
        none.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }
}
