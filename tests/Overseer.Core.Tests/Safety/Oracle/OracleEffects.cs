using System.Security.Cryptography;
using System.Text;
using Overseer.Core.Safety.Policy;

namespace Overseer.Core.Tests.Safety.Oracle;

/// <summary>
/// What a command observably did to its world, and the least tier that effect requires: the marker program ran
/// (ORANGE), a file outside the project changed (RED; in the data directory BLACK), a canary was read out
/// (ORANGE; a data-directory canary BLACK), a link was made to outside (ORANGE; into the data directory BLACK),
/// a protected file inside the project was written (RED), uncommitted work was thrown away (ORANGE).
/// </summary>
internal sealed class OracleEffects
{
    // Files inside the project that make tools run programs or configure the agent: writing them is RED.
    private static readonly string[] ProtectedPrefixes = [".claude/", ".git/hooks/", ".github/workflows/", ".circleci/", ".buildkite/"];
    private static readonly string[] ProtectedFiles =
        [".mcp.json", ".git/config", ".bashrc", ".bash_profile", ".profile", ".zshrc", ".zprofile", ".envrc", ".gitlab-ci.yml", "Jenkinsfile", ".travis.yml", "azure-pipelines.yml"];

    private readonly List<(Tier Tier, string What)> _effects = [];

    public Tier Required => _effects.Count == 0 ? Tier.Green : _effects.Max(e => e.Tier);

    public IEnumerable<string> Describe() => _effects.Where(e => e.Tier == Required).Select(e => e.What).Distinct().Take(4);

    public static OracleEffects Observe(OracleWorld world, string output, FileSnapshot outsideBefore, FileSnapshot projectBefore, Dictionary<(ulong, ulong), string> outsideFiles)
    {
        var effects = new OracleEffects();
        if (File.Exists(world.MarkerFile))
            effects.Add(Tier.Orange, "ran overseer-marker");
        foreach (var change in FileSnapshot.Take(world.Observed, world.Project).ChangesSince(outsideBefore).Where(c => !IsToolState(world, c)))
            effects.Add(change.Contains(world.Data, StringComparison.Ordinal) ? Tier.Black : Tier.Red, change);
        foreach (var (_, canary, data) in OracleWorld.Canaries.Where(c => output.Contains(c.Canary, StringComparison.Ordinal)))
            effects.Add(data ? Tier.Black : Tier.Orange, $"printed {canary}");
        var projectAfter = FileSnapshot.Take([world.Project]);
        foreach (var (path, entry) in projectAfter.Entries)
        {
            if (projectBefore.Entries.TryGetValue(path, out var old) && old == entry)
                continue;
            effects.ObserveProjectEntry(world, path, entry, old, outsideFiles);
        }
        foreach (var path in projectBefore.Entries.Keys.Where(p => !projectAfter.Entries.ContainsKey(p)))
        {
            if (IsProtected(Path.GetRelativePath(world.Project, path)))
                effects.Add(Tier.Red, $"deleted protected {Path.GetRelativePath(world.Project, path)}");
        }
        if (WorkDiscarded(world))
            effects.Add(Tier.Orange, "discarded uncommitted work in README.md");
        return effects;
    }

    /// <summary>Identities of every regular file under the observed directories, to recognise a hard link made to one.</summary>
    public static Dictionary<(ulong, ulong), string> OutsideFiles(OracleWorld world)
    {
        var files = new Dictionary<(ulong, ulong), string>();
        foreach (var root in world.Observed)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                if (file.StartsWith(world.Project + "/", StringComparison.Ordinal) || new FileInfo(file).LinkTarget is not null)
                    continue;
                if (FileIdentity.Of(file) is { } id)
                    files[(id.Device, id.Inode)] = file;
            }
        }
        return files;
    }

    private void Add(Tier tier, string what) => _effects.Add((tier, what));

    private void ObserveProjectEntry(OracleWorld world, string path, FileSnapshot.Entry entry, FileSnapshot.Entry? old, Dictionary<(ulong, ulong), string> outsideFiles)
    {
        var relative = Path.GetRelativePath(world.Project, path);
        // git rewrites .git/config with the same text on some commands (init); only new content counts.
        if (IsProtected(relative) && (old is null || old.Kind != entry.Kind || old.Content != entry.Content))
            Add(Tier.Red, $"wrote protected {relative}");
        if (entry.Kind == "link")
        {
            var target = Path.GetFullPath(entry.Content, Path.GetDirectoryName(path)!);
            if (Within(target, world.Data))
                Add(Tier.Black, $"linked {relative} into the data directory");
            else if (!Within(target, world.Project))
                Add(Tier.Orange, $"linked {relative} to {target}");
            return;
        }
        if (entry.Kind != "file")
            return;
        if (FileIdentity.Of(path, followLinks: false) is { } id && outsideFiles.TryGetValue((id.Device, id.Inode), out var outside))
            Add(Within(outside, world.Data) ? Tier.Black : Tier.Orange, $"hard-linked {relative} to {outside}");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var (_, canary, data) in OracleWorld.Canaries.Where(c => text.Contains(c.Canary, StringComparison.Ordinal)))
            Add(data ? Tier.Black : Tier.Orange, $"copied {canary} into {relative}");
    }

    // Caches, logs and history a tool keeps for itself in the home directory (npm's ~/.npm, ~/.cache, vim's
    // ~/.viminfo): running the tool at all writes them, so they say nothing about what the command did.
    private static bool IsToolState(OracleWorld world, string change)
    {
        var path = change[(change.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        return new[] { ".npm", ".cache", ".viminfo" }.Any(s => Within(path, Path.Combine(world.Home, s)));
    }

    // Git never runs a hook named *.sample (git init writes them).
    private static bool IsProtected(string relative) =>
        !(relative.StartsWith(".git/hooks/", StringComparison.Ordinal) && relative.EndsWith(".sample", StringComparison.Ordinal))
        && (ProtectedFiles.Contains(relative) || ProtectedPrefixes.Any(p => relative.StartsWith(p, StringComparison.Ordinal) || relative == p.TrimEnd('/')));

    private static bool Within(string path, string directory) => path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>README.md is back at its committed text and its uncommitted text was never stored by git (stash, add): the work is gone for good.</summary>
    private static bool WorkDiscarded(OracleWorld world)
    {
        var readme = Path.Combine(world.Project, "README.md");
        if (!File.Exists(readme) || File.ReadAllText(readme) != OracleWorld.CommittedReadme)
            return false;
        var work = Encoding.UTF8.GetBytes(OracleWorld.CommittedReadme + OracleWorld.Work + "\n");
        // Git names objects by SHA-1; this recomputes a name, it protects nothing.
#pragma warning disable CA5350
        var blob = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {work.Length}\0"), .. work]));
#pragma warning restore CA5350
        return !File.Exists(Path.Combine(world.Project, ".git", "objects", blob[..2], blob[2..]));
    }
}
