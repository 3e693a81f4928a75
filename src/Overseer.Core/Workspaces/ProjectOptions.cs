namespace Overseer.Core.Workspaces;

public sealed class ProjectOptions
{
    public const string Section = "Projects";

    /// <summary>Directories projects may lie under; empty means the user's home directory.</summary>
    public List<string> AllowedRoots { get; set; } = [];

    /// <summary>Overseer's data directory (set by the host): no project may be, contain or lie inside it.</summary>
    public string? DataDirectory { get; set; }

    public IReadOnlyList<string> EffectiveRoots() =>
        AllowedRoots.Count > 0 ? AllowedRoots : [Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)];
}
