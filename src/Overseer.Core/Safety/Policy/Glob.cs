using System.Text;
using System.Text.RegularExpressions;

namespace Overseer.Core.Safety.Policy;

/// <summary>Glob matching for rule patterns: <c>**</c> any characters, <c>*</c> any but <c>/</c>, <c>?</c> one character.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string value, bool ignoreCase = false, bool slashIsSpecial = true)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                sb.Append(".*");
                i++;
            }
            else if (c == '*')
                sb.Append(slashIsSpecial ? "[^/]*" : ".*");
            else if (c == '?')
                sb.Append('.');
            else
                sb.Append(Regex.Escape(c.ToString()));
        }
        sb.Append('$');
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        return Regex.IsMatch(value, sb.ToString(), options, TimeSpan.FromSeconds(1));
    }

    /// <summary>A host pattern: <c>example.com</c> exactly, <c>*.example.com</c> any subdomain and the domain itself.</summary>
    public static bool HostMatches(string pattern, string host)
    {
        pattern = pattern.Trim().ToLowerInvariant();
        host = host.ToLowerInvariant();
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
            return host == pattern[2..] || host.EndsWith(pattern[1..], StringComparison.Ordinal);
        return host == pattern;
    }
}
