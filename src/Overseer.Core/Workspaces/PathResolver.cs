namespace Overseer.Core.Workspaces;

/// <summary>
/// Canonical paths: absolute, with <c>..</c> folded and every symlink followed, so a check of
/// "is this inside that" cannot be fooled by a link or a detour.
/// </summary>
public static class PathResolver
{
    private const int MaxLinks = 40;

    public static string Resolve(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string fullPath, ref int links)
    {
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxLinks)
                    throw new IOException($"Too many levels of symbolic links at '{next}'.");
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies beneath it (both canonical).</summary>
    public static bool IsWithin(string path, string directory)
    {
        if (string.Equals(path, directory, StringComparison.Ordinal))
            return true;
        var prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
