using System.Globalization;
using Overseer.Contracts.Api;

namespace Overseer.Core.Workspaces;

/// <summary>
/// What a worktree session would land: its base commit compared with the worktree as it is now
/// (uncommitted and untracked files included, as merge commits them), or with its branch once the
/// worktree directory is gone. Read-only: the worktree's index and files are never written.
/// </summary>
public static class WorktreeChanges
{
    public static async Task<SessionChangesDto> ReadAsync(string sessionId, string projectPath, WorktreeInfo worktree, string state, int maxDiffChars, CancellationToken cancellationToken)
    {
        string directory, target;
        if (Directory.Exists(worktree.Path))
            (directory, target) = (worktree.Path, await ChangeTracker.GitTreeAsync(worktree.Path, cancellationToken));
        else
            (directory, target) = (projectPath, "refs/heads/" + worktree.Branch);

        var statuses = Pairs(await Git.RunCheckedAsync(directory, ["diff", "--name-status", "--no-renames", "-z", worktree.BaseCommit, target], cancellationToken));
        var counts = (await Git.RunCheckedAsync(directory, ["diff", "--numstat", "--no-renames", "-z", worktree.BaseCommit, target], cancellationToken))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('\t', 3))
            .Where(parts => parts.Length == 3)
            .ToDictionary(parts => parts[2], parts => (Added: Count(parts[0]), Deleted: Count(parts[1])), StringComparer.Ordinal);
        var files = statuses.Select(s =>
        {
            var (added, deleted) = counts.GetValueOrDefault(s.Path);
            return new ChangedFileDto(s.Path, s.Status, added, deleted);
        }).ToList();

        var diff = await Git.RunAsync(directory, ["diff", "--no-renames", worktree.BaseCommit, target], cancellationToken, maxOutputChars: maxDiffChars);
        if (diff.ExitCode != 0)
            throw new GitException($"git diff failed ({diff.ExitCode}): {diff.Error.Trim()}");
        return new SessionChangesDto(sessionId, worktree.Branch, worktree.BaseCommit, state,
            [.. files.Take(ChangesLimits.MaxFiles)], files.Count, files.Sum(f => f.Additions ?? 0), files.Sum(f => f.Deletions ?? 0),
            diff.Output, diff.Truncated, maxDiffChars);
    }

    /// <summary><c>--name-status -z</c> prints the status and the path as separate fields.</summary>
    private static List<(string Path, string Status)> Pairs(string output)
    {
        var fields = output.Split('\0');
        var pairs = new List<(string, string)>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var status = fields[i] switch
            {
                "A" => "added",
                "D" => "deleted",
                "T" => "type-changed",
                _ => "modified",
            };
            pairs.Add((fields[i + 1], status));
        }
        return pairs;
    }

    /// <summary>A numstat count; "-" for a binary file.</summary>
    private static int? Count(string field) => int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
