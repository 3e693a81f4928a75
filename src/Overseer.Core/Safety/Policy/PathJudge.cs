using System.Text.RegularExpressions;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Resolves path arguments (relative to the project, <c>..</c> folded, symlinks followed) and says where they lie
/// and what reading, writing or recursively deleting them costs.
/// </summary>
internal sealed partial class PathJudge(ResolvedContext context)
{
    // Top-level system directories: deleting one recursively wrecks the machine just like deleting "/".
    private static readonly HashSet<string> SystemDirectories =
        ["/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/root", "/sbin", "/sys", "/usr", "/var"];

    // Writing these is harmless: they are the terminal, the bit bucket or a descriptor already open.
    private static readonly HashSet<string> HarmlessWrites = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"];

    public ResolvedContext Context => context;

    /// <summary>The canonical path, or null when it depends on a run-time expansion. Globs are judged by the directory they start from.</summary>
    public string? Resolve(string raw)
    {
        if (BashParse.IsDynamic(raw) || raw.Length == 0)
            return null;
        var glob = raw.IndexOfAny(['*', '?', '[', '{']);
        if (glob >= 0)
        {
            var slash = raw.LastIndexOf('/', glob);
            raw = slash < 0 ? "." : raw[..(slash + 1)];
        }
        try
        {
            return PathResolver.Resolve(Path.IsPathRooted(raw) ? raw : Path.Combine(context.Project, raw));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    public PathZone Zone(string? resolved)
    {
        if (resolved is null)
            return PathZone.Unknown;
        if (IsBlockDevice(resolved))
            return PathZone.BlockDevice;
        // A project kept inside the data directory is still the project; everything else in there is Overseer's.
        var inProject = PathResolver.IsWithin(resolved, context.Project);
        if (PathResolver.IsWithin(resolved, context.DataDirectory) && !(inProject && PathResolver.IsWithin(context.Project, context.DataDirectory)))
            return PathZone.DataDirectory;
        return inProject ? PathZone.Project : PathZone.Outside;
    }

    public static bool IsBlockDevice(string path) => BlockDevice().IsMatch(path);

    public static bool IsHarmlessWrite(string raw) =>
        HarmlessWrites.Contains(raw) || raw.StartsWith("/dev/fd/", StringComparison.Ordinal) || raw.StartsWith("/dev/pts/", StringComparison.Ordinal);

    /// <summary>"/", a top-level system directory, the home directory or one of its ancestors.</summary>
    public bool IsCatastrophicDeleteTarget(string resolved) =>
        resolved == "/" || SystemDirectories.Contains(resolved) || PathResolver.IsWithin(context.Home, resolved);

    public PolicyDecision JudgeRead(string raw, string subject)
    {
        var resolved = Resolve(raw);
        return Zone(resolved) switch
        {
            PathZone.Project => new PolicyDecision(Tier.Green, $"{subject} reads inside the project", "bash.read-only"),
            PathZone.DataDirectory => DataDirectory(subject, resolved!),
            PathZone.Unknown => new PolicyDecision(Tier.Orange, $"{subject} reads a path only known at run time ({Show(raw)})", "bash.read-outside"),
            _ => new PolicyDecision(Tier.Orange, $"{subject} reads outside the project ({resolved})", "bash.read-outside"),
        };
    }

    public PolicyDecision JudgeWrite(string raw, string subject)
    {
        if (IsHarmlessWrite(raw))
            return new PolicyDecision(Tier.Green, $"{subject} writes to {raw}", "bash.write-harmless");
        if (IsBlockDevice(raw))
            return new PolicyDecision(Tier.Black, $"{subject} writes to the block device {raw}", "bash.device-write");
        var resolved = Resolve(raw);
        return Zone(resolved) switch
        {
            PathZone.Project => new PolicyDecision(Tier.Yellow, $"{subject} changes {Relative(resolved!)} inside the project", "bash.write-inside"),
            PathZone.DataDirectory => DataDirectory(subject, resolved!),
            PathZone.BlockDevice => new PolicyDecision(Tier.Black, $"{subject} writes to the block device {resolved}", "bash.device-write"),
            PathZone.Unknown => new PolicyDecision(Tier.Red, $"{subject} writes to a path only known at run time ({Show(raw)})", "bash.write-outside"),
            _ => new PolicyDecision(Tier.Red, $"{subject} writes outside the project ({resolved})", "bash.write-outside"),
        };
    }

    public PolicyDecision JudgeRecursiveDelete(string raw, string subject)
    {
        var resolved = Resolve(raw);
        if (resolved is not null && IsCatastrophicDeleteTarget(resolved))
            return new PolicyDecision(Tier.Black, $"{subject} recursively deletes {resolved} (the root, a system directory or the home directory)", "bash.rm-root");
        if (Zone(resolved) == PathZone.DataDirectory)
            return DataDirectory(subject, resolved!);
        return new PolicyDecision(Tier.Red, $"{subject} recursively deletes {(resolved ?? Show(raw))}", "bash.rm-recursive");
    }

    public PolicyDecision DataDirectory(string subject, string resolved) =>
        new(Tier.Black, $"{subject} touches Overseer's data directory ({resolved}), which no agent may access", "builtin.data-dir");

    private string Relative(string resolved) => resolved == context.Project ? "." : Path.GetRelativePath(context.Project, resolved);

    private static string Show(string raw) => raw.Replace(BashParse.Unknown.ToString(), "$?", StringComparison.Ordinal);

    [GeneratedRegex(@"^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|dm-\d|loop\d|sr\d|disk\d|mapper/|disk/)")]
    private static partial Regex BlockDevice();
}
