namespace Overseer.Core.Workspaces;

public sealed class WorktreeOptions
{
    public const string Section = "Workspaces";

    /// <summary>
    /// Where isolated sessions' worktrees go; default <c>~/.overseer-worktrees</c>. Not inside the data
    /// directory, which agents may never touch.
    /// </summary>
    public string? WorktreeRoot { get; set; }

    /// <summary>
    /// The most of a session's diff that <c>GET /api/sessions/{id}/changes</c> and the Changes tab
    /// show, in characters; past it the diff is cut and marked truncated (the file list stays whole).
    /// </summary>
    public int MaxDiffChars { get; set; } = 1024 * 1024;

    public string EffectiveRoot() =>
        WorktreeRoot ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".overseer-worktrees");
}
