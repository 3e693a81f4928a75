using Microsoft.Extensions.Options;

namespace Overseer.Core.Workspaces;

/// <summary>
/// Session isolation with <c>git worktree</c>: the agent works on its own branch
/// (<c>overseer/&lt;short id&gt;</c>) in its own directory, so the project's checkout is untouched
/// until the work is merged back, or discarded.
/// </summary>
public sealed class Worktrees(IOptions<WorktreeOptions> options)
{
    public static string BranchFor(string sessionId) => "overseer/" + ShortId(sessionId);

    private static string ShortId(string sessionId) => sessionId.StartsWith("s_", StringComparison.Ordinal) ? sessionId[2..] : sessionId;

    public async Task<WorktreeInfo> CreateAsync(string projectPath, string sessionId, CancellationToken cancellationToken)
    {
        var root = options.Value.EffectiveRoot();
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, $"{Path.GetFileName(projectPath)}-{ShortId(sessionId)}");
        var branch = BranchFor(sessionId);
        var head = (await Git.RunCheckedAsync(projectPath, ["rev-parse", "HEAD"], cancellationToken)).Trim();
        await Git.RunCheckedAsync(projectPath, ["worktree", "add", "-b", branch, path, head], cancellationToken);
        return new WorktreeInfo(path, branch, head);
    }

    /// <summary>
    /// Commits what the agent left uncommitted on its branch, then merges the branch into the
    /// project's current branch (fast-forward when possible). A conflict aborts the merge and is
    /// reported with the files; the branch and the worktree stay as they were.
    /// </summary>
    public async Task<MergeOutcome> MergeAsync(string projectPath, WorktreeInfo worktree, string sessionId, CancellationToken cancellationToken)
    {
        if (Directory.Exists(worktree.Path))
        {
            await Git.RunCheckedAsync(worktree.Path, ["add", "-A"], cancellationToken);
            var staged = await Git.RunAsync(worktree.Path, ["diff", "--cached", "--quiet"], cancellationToken);
            if (staged.ExitCode != 0)
                await Git.RunCheckedAsync(worktree.Path, ["-c", "user.name=Overseer", "-c", "user.email=overseer@localhost", "commit", "-q", "--no-verify", "-m", $"Changes from Overseer session {sessionId}"], cancellationToken);
        }
        var before = (await Git.RunCheckedAsync(projectPath, ["rev-parse", "HEAD"], cancellationToken)).Trim();
        var merge = await Git.RunAsync(projectPath,
            ["-c", "user.name=Overseer", "-c", "user.email=overseer@localhost", "merge", "--no-edit", "--no-verify", "--no-stat", "-m", $"Merge Overseer session {sessionId}", worktree.Branch],
            cancellationToken);
        if (merge.ExitCode != 0)
        {
            // The index alone says what is unmerged: nothing in the working tree is read, so no filter could be asked.
            var conflicted = (await Git.RunAsync(projectPath, ["ls-files", "--unmerged", "-z"], cancellationToken)).Output
                .Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(entry => entry[(entry.IndexOf('\t', StringComparison.Ordinal) + 1)..])
                .Distinct(StringComparer.Ordinal)
                .ToArray();
            await Git.RunAsync(projectPath, ["merge", "--abort"], cancellationToken);
            var why = conflicted.Length > 0 ? "conflicts in " + string.Join(", ", conflicted) : (merge.Error + merge.Output).Trim();
            return new MergeOutcome(false, null, false, conflicted, why);
        }
        var after = (await Git.RunCheckedAsync(projectPath, ["rev-parse", "HEAD"], cancellationToken)).Trim();
        var fastForward = (await Git.RunAsync(projectPath, ["rev-parse", "HEAD^2"], cancellationToken)).ExitCode != 0 && after != before;
        return new MergeOutcome(true, after, fastForward, [], null);
    }

    /// <summary>Removes the worktree and deletes its branch.</summary>
    public async Task DiscardAsync(string projectPath, WorktreeInfo worktree, CancellationToken cancellationToken)
    {
        if (Directory.Exists(worktree.Path))
            await Git.RunCheckedAsync(projectPath, ["worktree", "remove", "--force", worktree.Path], cancellationToken);
        await Git.RunAsync(projectPath, ["worktree", "prune"], cancellationToken);
        var branch = await Git.RunAsync(projectPath, ["rev-parse", "--verify", "refs/heads/" + worktree.Branch], cancellationToken);
        if (branch.ExitCode == 0)
            await Git.RunCheckedAsync(projectPath, ["branch", "-D", worktree.Branch], cancellationToken);
    }
}

public sealed record WorktreeInfo(string Path, string Branch, string BaseCommit);

public sealed record MergeOutcome(bool Merged, string? Commit, bool FastForward, IReadOnlyList<string> Conflicts, string? Problem);
