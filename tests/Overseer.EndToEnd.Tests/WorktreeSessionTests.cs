using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

public sealed class WorktreeSessionTests
{
    private static async Task<string> StartIsolatedAsync(OverseerHarness o)
    {
        using var response = await o.Client.PostJsonAsync("/api/sessions",
            JsonSerializer.Serialize(new { projectId = o.ProjectId, prompt = "add a file", runtime = "claude-code", isolation = "worktree" }));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task WorktreeSession_ChangesOnlyItsBranch_MergeBringsThemIn_DiscardLeavesNothing()
    {
        await using var o = await OverseerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Workspaces:WorktreeRoot"] = Path.Combine(Path.GetTempPath(), "overseer-tests", "wt-" + Guid.NewGuid().ToString("N")[..8]) });
        await GitRepo.InitAsync(o.ProjectDir);

        o.Api.Enqueue(MockReply.Bash("echo merged > from-agent.txt"));
        var kept = await StartIsolatedAsync(o);
        await o.WaitForStatusAsync(kept, SessionStatus.Idle);
        var worktree = (await o.Client.GetSessionAsync(kept)).Worktree!;
        File.Exists(Path.Combine(worktree.Path, "from-agent.txt")).ShouldBeTrue("the agent worked in its worktree");
        File.Exists(Path.Combine(o.ProjectDir, "from-agent.txt")).ShouldBeFalse("the project's checkout is untouched");
        (await o.Client.PostJsonAsync($"/api/sessions/{kept}/merge", "{}")).EnsureSuccessStatusCode();
        File.ReadAllText(Path.Combine(o.ProjectDir, "from-agent.txt")).ShouldBe("merged\n");

        o.Api.Enqueue(MockReply.Bash("echo nope > throwaway.txt"));
        var dropped = await StartIsolatedAsync(o);
        await o.WaitForStatusAsync(dropped, SessionStatus.Idle);
        var droppedTree = (await o.Client.GetSessionAsync(dropped)).Worktree!;
        (await o.Client.PostJsonAsync($"/api/sessions/{dropped}/discard", "{}")).EnsureSuccessStatusCode();
        Directory.Exists(droppedTree.Path).ShouldBeFalse();
        (await GitRepo.RunAsync(o.ProjectDir, "branch", "--list", droppedTree.Branch)).Trim().ShouldBeEmpty();
        File.Exists(Path.Combine(o.ProjectDir, "throwaway.txt")).ShouldBeFalse();
    }
}
