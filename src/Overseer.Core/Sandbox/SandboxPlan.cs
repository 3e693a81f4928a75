namespace Overseer.Core.Sandbox;

/// <summary>Everything one bubblewrap command is built from.</summary>
internal sealed record SandboxPlan(
    string WorkingDirectory,
    string? GitDirectory,
    bool GitConfigWritable,
    NetworkAccess Network,
    SandboxHome Home,
    IReadOnlyList<string> ReadOnlyPaths)
{
    /// <summary>
    /// The repository's own git directory: <c>.git</c> in the project, or for a worktree (whose
    /// <c>.git</c> is a file naming its private git directory) the main repository's.
    /// </summary>
    public static string? FindGitDirectory(string workingDirectory)
    {
        var dotGit = Path.Combine(workingDirectory, ".git");
        if (Directory.Exists(dotGit))
            return dotGit;
        if (!File.Exists(dotGit))
            return null;
        var line = File.ReadLines(dotGit).FirstOrDefault() ?? "";
        if (!line.StartsWith("gitdir:", StringComparison.Ordinal))
            return null;
        var worktreeGit = Path.GetFullPath(line["gitdir:".Length..].Trim(), workingDirectory);
        var common = Path.Combine(worktreeGit, "commondir");
        return File.Exists(common)
            ? Path.GetFullPath(File.ReadAllText(common).Trim(), worktreeGit).TrimEnd('/')
            : worktreeGit;
    }
}
