namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard fixture with worktrees made under its own scratch directory, for sessions with isolation "worktree".</summary>
public sealed class WorktreeDashboardFixture : DashboardFixture
{
    public string WorktreeRoot => Path.Combine(Root, "worktrees");

    protected override Task<Dictionary<string, string>> ServerEnvironmentAsync() =>
        Task.FromResult(new Dictionary<string, string> { ["OVERSEER__Workspaces__WorktreeRoot"] = WorktreeRoot });
}
