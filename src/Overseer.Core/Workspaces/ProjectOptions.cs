namespace Overseer.Core.Workspaces;

public sealed class ProjectOptions
{
    public const string Section = "Projects";

    /// <summary>Directories projects may lie under; empty means the user's home directory.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    public IReadOnlyList<string> EffectiveRoots() =>
        AllowedRoots.Count > 0 ? AllowedRoots : [Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)];
}
