using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// A glob as Claude Code's Glob and Grep take it, matched against a path relative to the search's
/// directory: <c>**</c> any number of directories, <c>*</c> and <c>?</c> within one name,
/// <c>{a,b}</c> alternatives and <c>[...]</c> sets. With <c>anywhere</c> (Grep's filter, as
/// ripgrep's), a pattern without a <c>/</c> matches a file's name wherever it lies.
/// </summary>
internal sealed class GlobPattern
{
    private readonly Regex _regex;
    private readonly bool _nameOnly;

    public GlobPattern(string pattern, bool anywhere)
    {
        _nameOnly = anywhere && !pattern.Contains('/', StringComparison.Ordinal);
        try
        {
            _regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException ex)
        {
            throw new ToolInputException($"The glob '{pattern}' is not valid: {ex.Message}");
        }
    }

    /// <summary>Whether the file at <paramref name="relativePath"/> (with '/' separators) matches.</summary>
    public bool IsMatch(string relativePath) =>
        _regex.IsMatch(_nameOnly ? relativePath[(relativePath.LastIndexOf('/') + 1)..] : relativePath);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        var braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                    regex.Append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '{':
                    braces++;
                    regex.Append("(?:");
                    break;
                case '}' when braces > 0:
                    braces--;
                    regex.Append(')');
                    break;
                case ',' when braces > 0:
                    regex.Append('|');
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        regex.Append("\\[");
                        break;
                    }
                    var set = pattern[(i + 1)..close];
                    regex.Append('[').Append(set.StartsWith('!') ? "^" + set[1..] : set).Append(']');
                    i = close;
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return regex.Append('$').ToString();
    }
}
