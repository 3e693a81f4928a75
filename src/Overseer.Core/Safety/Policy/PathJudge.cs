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

    // Links made earlier in the same command line (ln -s ~/.bashrc x; echo >> x): link path -> resolved target.
    private readonly Dictionary<string, string?> _links = new(StringComparer.Ordinal);
    private HashSet<(ulong, ulong)>? _dataFiles;

    public ResolvedContext Context => context;

    /// <summary>
    /// The directory relative paths start from: the project until a <c>cd</c>, <c>env -C</c>, <c>git -C</c> or
    /// <c>tar -C</c> moves it; null when it moved somewhere only known at run time (then every relative path is unknown).
    /// </summary>
    public string? WorkingDirectory { get; set; } = context.Project;

    /// <summary>True once the command line set CDPATH: from then on "cd dir" may land anywhere.</summary>
    public bool CdPathSet { get; set; }

    /// <summary>Judges <paramref name="judgeIn"/> as if run from <paramref name="directory"/> (relative to the current one), then moves back.</summary>
    public T InDirectory<T>(string? directory, Func<T> judgeIn)
    {
        var saved = WorkingDirectory;
        WorkingDirectory = directory is null ? saved : Resolve(directory);
        try
        {
            return judgeIn();
        }
        finally
        {
            WorkingDirectory = saved;
        }
    }

    /// <summary>Remembers that <paramref name="linkRaw"/> now points at <paramref name="targetResolved"/>, so later writes through it are judged at the target.</summary>
    public void RecordLink(string linkRaw, string? targetResolved)
    {
        if (Resolve(linkRaw) is { } link)
            _links[link] = targetResolved;
    }

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
        // "~/x" that reached here unexpanded (an option value such as --contents=~/x, a sed r file): bash leaves it
        // literal, but some tools expand it themselves; judging it as home is the safe reading.
        if (raw == "~" || raw.StartsWith("~/", StringComparison.Ordinal))
            raw = context.Home + raw[1..];
        if (!Path.IsPathRooted(raw) && WorkingDirectory is null)
            return null;
        try
        {
            var resolved = PathResolver.Resolve(Path.IsPathRooted(raw) ? raw : Path.Combine(WorkingDirectory!, raw));
            return ThroughRecordedLinks(resolved);
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
        // A hard link is the same file under another name: one into the data directory is the data directory.
        if (inProject && IsHardLinkIntoDataDirectory(resolved))
            return PathZone.DataDirectory;
        return inProject ? PathZone.Project : PathZone.Outside;
    }

    /// <summary>True when the file has other names (a hard link count above one): writing it changes a file elsewhere too.</summary>
    public static bool HasOtherNames(string resolved) =>
        File.Exists(resolved) && FileIdentity.Of(resolved) is { Links: > 1 };

    public static bool IsBlockDevice(string path) => BlockDevice().IsMatch(path);

    public static bool IsHarmlessWrite(string raw) =>
        HarmlessWrites.Contains(raw) || raw.StartsWith("/dev/fd/", StringComparison.Ordinal) || raw.StartsWith("/dev/pts/", StringComparison.Ordinal);

    /// <summary>"/", a top-level system directory, the home directory or one of its ancestors.</summary>
    public bool IsCatastrophicDeleteTarget(string resolved) =>
        resolved == "/" || SystemDirectories.Contains(resolved) || PathResolver.IsWithin(context.Home, resolved);

    public PolicyDecision JudgeRead(string raw, string subject) => OverGlob(raw, resolved => Zone(resolved) switch
    {
        PathZone.Project => new PolicyDecision(Tier.Green, $"{subject} reads inside the project", "bash.read-only"),
        PathZone.DataDirectory => DataDirectory(subject, resolved!),
        PathZone.Unknown => new PolicyDecision(Tier.Orange, $"{subject} reads a path only known at run time ({Show(raw)})", "bash.read-outside"),
        _ => new PolicyDecision(Tier.Orange, $"{subject} reads outside the project ({resolved})", "bash.read-outside"),
    });

    public PolicyDecision JudgeWrite(string raw, string subject)
    {
        if (IsHarmlessWrite(raw))
            return new PolicyDecision(Tier.Green, $"{subject} writes to {raw}", "bash.write-harmless");
        if (IsBlockDevice(raw))
            return new PolicyDecision(Tier.Black, $"{subject} writes to the block device {raw}", "bash.device-write");
        return OverGlob(raw, resolved => JudgeWriteResolved(raw, resolved, subject));
    }

    private PolicyDecision JudgeWriteResolved(string raw, string? resolved, string subject)
    {
        var zone = Zone(resolved);
        if (zone == PathZone.Project && Protected(resolved!, subject) is { } protectedFile)
            return protectedFile;
        if (zone == PathZone.Project && HasOtherNames(resolved!))
            return new PolicyDecision(Tier.Red, $"{subject} writes {Relative(resolved!)}, a file hard-linked to another name that may lie outside the project", "bash.write-hardlink");
        return zone switch
        {
            PathZone.Project => new PolicyDecision(Tier.Yellow, $"{subject} changes {Relative(resolved!)} inside the project", "bash.write-inside"),
            PathZone.DataDirectory => DataDirectory(subject, resolved!),
            PathZone.BlockDevice => new PolicyDecision(Tier.Black, $"{subject} writes to the block device {resolved}", "bash.device-write"),
            PathZone.Unknown => new PolicyDecision(Tier.Red, $"{subject} writes to a path only known at run time ({Show(raw)})", "bash.write-outside"),
            _ => new PolicyDecision(Tier.Red, $"{subject} writes outside the project ({resolved})", "bash.write-outside"),
        };
    }

    public PolicyDecision JudgeRecursiveDelete(string raw, string subject) => OverGlob(raw, resolved => JudgeRecursiveDeleteResolved(raw, resolved, subject));

    private PolicyDecision JudgeRecursiveDeleteResolved(string raw, string? resolved, string subject)
    {
        if (resolved is not null && IsCatastrophicDeleteTarget(resolved))
            return new PolicyDecision(Tier.Black, $"{subject} recursively deletes {resolved} (the root, a system directory or the home directory)", "bash.rm-root");
        if (Zone(resolved) == PathZone.DataDirectory)
            return DataDirectory(subject, resolved!);
        return new PolicyDecision(Tier.Red, $"{subject} recursively deletes {(resolved ?? Show(raw))}", "bash.rm-recursive");
    }

    /// <summary>RED when <paramref name="resolved"/> (inside the project) is a file that makes tools run programs, else null.</summary>
    public PolicyDecision? Protected(string resolved, string subject) =>
        ProtectedPaths.Match(Path.GetRelativePath(context.Project, resolved)) is { } match
            ? new PolicyDecision(Tier.Red, $"{subject} writes {Relative(resolved)}: {match.Why}", match.Rule)
            : null;

    /// <summary>
    /// What an unknown program's path arguments may cost: it may read or write any of them, so one in the data directory
    /// is BLACK and one outside the project that exists (or whose directory exists) is RED. Null when none reaches out.
    /// </summary>
    public PolicyDecision? JudgeUnknownOperands(IReadOnlyList<string> argv, string subject)
    {
        PolicyDecision? worst = null;
        foreach (var arg in argv.Skip(1))
        {
            // --file=/x and -o/x carry a path after the option name.
            var path = arg.StartsWith('-') ? (arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? arg[(eq + 1)..] : null) : arg;
            if (path is null || BashParse.IsDynamic(path) || !(path.Contains('/', StringComparison.Ordinal) || path.StartsWith('~') || path.StartsWith('.')))
                continue;
            var resolved = Resolve(path);
            var verdict = Zone(resolved) switch
            {
                PathZone.DataDirectory => DataDirectory(subject, resolved!),
                PathZone.Outside when Path.Exists(resolved) || Directory.Exists(Path.GetDirectoryName(resolved)) =>
                    new PolicyDecision(Tier.Red, $"{subject} is a program the policy does not know, given a path outside the project ({resolved}) it may change", "bash.write-outside"),
                _ => null,
            };
            if (verdict is not null)
                worst = PolicyDecision.Worst(worst, verdict);
        }
        return worst;
    }

    /// <summary>
    /// How a new link at <paramref name="linkRaw"/> to <paramref name="targetRaw"/> is judged: the link is a write where it is made
    /// and a way out to where it points (ORANGE outside the project, BLACK into the data directory).
    /// </summary>
    public PolicyDecision JudgeLink(string targetRaw, string linkRaw, bool symbolic, string subject)
    {
        var write = JudgeWrite(linkRaw, subject);
        // A symlink's relative target is relative to the link's directory, not to where ln runs.
        var target = symbolic && !Path.IsPathRooted(targetRaw) && !BashParse.IsDynamic(targetRaw) && Resolve(linkRaw) is { } link
            ? InDirectory(Path.GetDirectoryName(link), () => Resolve(targetRaw))
            : Resolve(targetRaw);
        RecordLink(linkRaw, target);
        var way = Zone(target) switch
        {
            PathZone.Project => null,
            PathZone.DataDirectory => DataDirectory(subject, target!),
            PathZone.Unknown => new PolicyDecision(Tier.Orange, $"{subject} links to a path only known at run time ({Show(targetRaw)})", "bash.link-outside"),
            _ => new PolicyDecision(Tier.Orange, $"{subject} links to {target} outside the project: writes through the link land there", "bash.link-outside"),
        };
        return way is null ? write : PolicyDecision.Worst(write, way);
    }

    public PolicyDecision DataDirectory(string subject, string resolved) =>
        new(Tier.Black, $"{subject} touches Overseer's data directory ({resolved}), which no agent may access", "builtin.data-dir");

    /// <summary>The worst verdict over the path as written and everything its glob matches now.</summary>
    private PolicyDecision OverGlob(string raw, Func<string?, PolicyDecision> judgeOne)
    {
        var worst = judgeOne(Resolve(raw));
        foreach (var match in PathGlob.Matches(raw, WorkingDirectory))
            worst = PolicyDecision.Worst(worst, judgeOne(ThroughRecordedLinks(match)));
        return worst;
    }

    private string? ThroughRecordedLinks(string resolved)
    {
        foreach (var (link, target) in _links)
        {
            if (!PathResolver.IsWithin(resolved, link))
                continue;
            if (target is null)
                return null;
            return resolved == link ? target : PathResolver.Resolve(target + resolved[link.Length..]);
        }
        return resolved;
    }

    private bool IsHardLinkIntoDataDirectory(string resolved)
    {
        if (!HasOtherNames(resolved) || FileIdentity.Of(resolved) is not { } identity)
            return false;
        _dataFiles ??= DataFileIdentities();
        return _dataFiles.Contains((identity.Device, identity.Inode));
    }

    // Only read when a project file has other names; bounded so a huge data directory cannot stall the gate.
    private HashSet<(ulong, ulong)> DataFileIdentities()
    {
        var identities = new HashSet<(ulong, ulong)>();
        if (!Directory.Exists(context.DataDirectory))
            return identities;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(context.DataDirectory, "*", options).Take(50_000))
        {
            if (FileIdentity.Of(file, followLinks: false) is { Links: > 1 } id)
                identities.Add((id.Device, id.Inode));
        }
        return identities;
    }

    private string Relative(string resolved) => resolved == context.Project ? "." : Path.GetRelativePath(context.Project, resolved);

    private static string Show(string raw) => raw.Replace(BashParse.Unknown.ToString(), "$?", StringComparison.Ordinal);

    [GeneratedRegex(@"^/dev/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|md\d|dm-\d|loop\d|sr\d|disk\d|mapper/|disk/)")]
    private static partial Regex BlockDevice();
}
