using System.Text.Json;

namespace Overseer.Core.Workspaces;

/// <summary>
/// What changed in a working directory since a point in time, for phase reviews. In a git
/// repository a snapshot is a tree object written through a throwaway index (untracked files
/// included, .gitignore respected, the real index and working tree untouched), and the change is
/// <c>git diff</c> between two trees. Elsewhere a snapshot lists files with size and time, and the
/// change is the list of files added, modified or deleted.
/// </summary>
public static class ChangeTracker
{
    public const int MaxDiffChars = 1024 * 1024;

    public static async Task<string> SnapshotAsync(string directory, CancellationToken cancellationToken)
    {
        if (await Git.IsRepositoryAsync(directory, cancellationToken))
            return "git:" + await GitTreeAsync(directory, cancellationToken);
        return "files:" + JsonSerializer.Serialize(ListFiles(directory));
    }

    public static async Task<PhaseChanges> ChangesSinceAsync(string directory, string snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.StartsWith("git:", StringComparison.Ordinal) && await Git.IsRepositoryAsync(directory, cancellationToken))
        {
            var before = snapshot[4..];
            var after = await GitTreeAsync(directory, cancellationToken);
            var files = (await Git.RunCheckedAsync(directory, ["diff", "--name-status", "--no-renames", before, after], cancellationToken))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t', 2))
                .Select(parts => new ChangedFile(parts[1], parts[0] switch { "A" => "added", "D" => "deleted", _ => "modified" }))
                .ToList();
            var diff = await Git.RunCheckedAsync(directory, ["diff", "--no-renames", before, after], cancellationToken);
            return new PhaseChanges(files, diff.Length > MaxDiffChars ? diff[..MaxDiffChars] + "\n[diff truncated]\n" : diff);
        }
        var was = snapshot.StartsWith("files:", StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(snapshot[6..]) ?? []
            : [];
        var now = ListFiles(directory);
        var changed = now.Where(f => !was.TryGetValue(f.Key, out var stamp) || stamp != f.Value)
            .Select(f => new ChangedFile(f.Key, was.ContainsKey(f.Key) ? "modified" : "added"))
            .Concat(was.Keys.Where(k => !now.ContainsKey(k)).Select(k => new ChangedFile(k, "deleted")))
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        return new PhaseChanges(changed, null);
    }

    /// <summary>The tree a directory's files would commit as (untracked included), written without touching its index.</summary>
    internal static async Task<string> GitTreeAsync(string directory, CancellationToken cancellationToken)
    {
        var index = Path.Combine(Path.GetTempPath(), $"overseer-index-{Guid.NewGuid():N}");
        try
        {
            // Start from the real index (fast: unchanged files are not hashed again), never write to it.
            var realIndex = (await Git.RunCheckedAsync(directory, ["rev-parse", "--path-format=absolute", "--git-path", "index"], cancellationToken)).Trim();
            if (File.Exists(realIndex))
                File.Copy(realIndex, index);
            var env = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
            await Git.RunCheckedAsync(directory, ["add", "-A"], cancellationToken, env);
            return (await Git.RunCheckedAsync(directory, ["write-tree"], cancellationToken, env)).Trim();
        }
        finally
        {
            File.Delete(index);
        }
    }

    private static Dictionary<string, string> ListFiles(string directory)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var path in Directory.EnumerateFiles(directory, "*", options))
        {
            var relative = Path.GetRelativePath(directory, path);
            if (relative.StartsWith(".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.Contains("node_modules", StringComparison.Ordinal))
                continue;
            var info = new FileInfo(path);
            files[relative] = $"{info.Length}:{info.LastWriteTimeUtc.Ticks}";
            if (files.Count > 100_000)
                break;
        }
        return files;
    }
}

public sealed record ChangedFile(string Path, string Status);

public sealed record PhaseChanges(IReadOnlyList<ChangedFile> Files, string? Diff);
