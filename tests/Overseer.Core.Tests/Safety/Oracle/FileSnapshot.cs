using System.Security.Cryptography;

namespace Overseer.Core.Tests.Safety.Oracle;

/// <summary>What a directory tree holds, entry by entry (links not followed), to tell what a command created, changed or deleted.</summary>
internal sealed class FileSnapshot
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private FileSnapshot()
    {
    }

    public IReadOnlyDictionary<string, Entry> Entries => _entries;

    public static FileSnapshot Take(IEnumerable<string> roots, string? exclude = null)
    {
        var snapshot = new FileSnapshot();
        foreach (var root in roots)
            snapshot.Walk(root, exclude);
        return snapshot;
    }

    /// <summary>Every path created, deleted or changed (type, size, time, content, link target) since <paramref name="before"/>.</summary>
    public IEnumerable<string> ChangesSince(FileSnapshot before)
    {
        foreach (var (path, entry) in _entries)
        {
            if (!before._entries.TryGetValue(path, out var old))
                yield return $"created {path}";
            else if (old != entry)
                yield return $"changed {path}";
        }
        foreach (var path in before._entries.Keys.Where(p => !_entries.ContainsKey(p)))
            yield return $"deleted {path}";
    }

    private void Walk(string path, string? exclude)
    {
        if (exclude is not null && path == exclude)
            return;
        FileSystemInfo info = new FileInfo(path);
        if (!info.Exists)
        {
            info = new DirectoryInfo(path);
            if (!info.Exists)
                return;
        }
        if (info.LinkTarget is { } target)
        {
            _entries[path] = new Entry("link", 0, 0, target);
            return;
        }
        if (info is FileInfo file)
        {
            // Git objects are named by their content: size and time tell enough, and there are many of them.
            var content = path.Contains("/.git/objects/", StringComparison.Ordinal) ? "object" : Hash(path);
            _entries[path] = new Entry("file", file.Length, file.LastWriteTimeUtc.Ticks, $"{content} {file.UnixFileMode}");
            return;
        }
        // A directory's own time changes with its entries, which are compared one by one; its mode still counts.
        _entries[path] = new Entry("dir", 0, 0, info.UnixFileMode.ToString());
        try
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(path))
                Walk(child, exclude);
        }
        catch (UnauthorizedAccessException)
        {
            _entries[path] = new Entry("dir", 0, 0, "unreadable");
        }
    }

    private static string Hash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexString(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }

    public sealed record Entry(string Kind, long Size, long Time, string Content);
}
