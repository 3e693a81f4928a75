namespace Overseer.Core.Workspaces;

public sealed class WorktreeOptions
{
    public const string Section = "Workspaces";

    /// <summary>
    /// Where isolated sessions' worktrees go; default <c>~/.overseer-worktrees</c>. Not inside the data
    /// directory, which agents may never touch.
    /// </summary>
    public string? WorktreeRoot { get; set; }

    public string EffectiveRoot() =>
        WorktreeRoot ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".overseer-worktrees");
}
