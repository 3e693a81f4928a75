using System.Text;
using System.Text.RegularExpressions;
using Overseer.Core.Workspaces;

namespace Overseer.Core.Safety.Policy;

/// <summary>
/// Expands a glob the way the shell will, against the file system at the moment of the call, so <c>cat esc*/x</c> is
/// judged by what <c>esc*</c> matches (a symlink out of the project) and not only by the directory it starts in.
/// </summary>
internal static class PathGlob
{
    private const int MaxMatches = 256;

    /// <summary>The canonical paths <paramref name="raw"/> matches now; empty when it has no <c>* ? [</c> or matches nothing.</summary>
    public static List<string> Matches(string raw, string? workingDirectory)
    {
        if (raw.IndexOfAny(['*', '?', '[']) < 0 || BashParse.IsDynamic(raw))
            return [];
        var rooted = raw.StartsWith('/');
        if (!rooted && workingDirectory is null)
            return [];
        List<string> current = [rooted ? "/" : workingDirectory!];
        foreach (var segment in raw.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = new List<string>();
            var pattern = segment.IndexOfAny(['*', '?', '[']) < 0 ? null : ToRegex(segment);
            foreach (var directory in current)
            {
                if (pattern is null)
                    next.Add(Path.Combine(directory, segment));
                else
                    next.AddRange(Entries(directory, segment, pattern).Take(MaxMatches - next.Count));
                if (next.Count >= MaxMatches)
                    break;
            }
            current = next;
            if (current.Count == 0)
                return [];
        }
        var resolved = new List<string>(current.Count);
        foreach (var path in current)
        {
            try
            {
                resolved.Add(PathResolver.Resolve(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // A broken or looping link: the path itself is still what a write would create.
                resolved.Add(path);
            }
        }
        return resolved;
    }

    private static IEnumerable<string> Entries(string directory, string segment, Regex pattern)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.Exists(directory) ? Directory.GetFileSystemEntries(directory) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entries = [];
        }
        // A leading dot is only matched by a pattern that starts with one, as in bash without dotglob.
        return entries.Where(e => pattern.IsMatch(Path.GetFileName(e)) && (segment.StartsWith('.') || !Path.GetFileName(e).StartsWith('.')));
    }

    private static Regex ToRegex(string segment)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            var close = c == '[' && i + 2 < segment.Length ? segment.IndexOf(']', i + 2) : -1;
            if (c == '*')
                regex.Append(".*");
            else if (c == '?')
                regex.Append('.');
            else if (close > 0)
            {
                var set = segment[(i + 1)..close];
                regex.Append('[').Append(set.StartsWith('!') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                i = close;
            }
            else
                regex.Append(Regex.Escape(c.ToString()));
        }
        try
        {
            return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            // A bracket set bash would take literally (a reversed range, say): match the text as written.
            return new Regex("^" + Regex.Escape(segment) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
        }
    }
}
