using System.Globalization;
using System.Text;

namespace Overseer.Core.Agents.Tools;

/// <summary>One replacement of Claude Code's Edit and MultiEdit, with their rules and their error messages.</summary>
internal sealed record TextEdit(string OldString, string NewString, bool ReplaceAll)
{
    /// <summary>The text after this edit, or the reason it cannot be made.</summary>
    public string Apply(string text)
    {
        if (OldString == NewString)
            throw new ToolInputException("No changes to make: old_string and new_string are exactly the same.");
        if (OldString.Length == 0)
            throw new ToolInputException("old_string is empty: to create a file use Write, or Edit a file that does not exist yet.");
        var count = Count(text, OldString);
        if (count == 0)
            throw new ToolInputException($"String to replace not found in file.\nString: {OldString}");
        if (count > 1 && !ReplaceAll)
            throw new ToolInputException(
                $"Found {count} matches of the string to replace, but replace_all is false. To replace all occurrences, set replace_all to true. " +
                $"To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: {OldString}");
        if (ReplaceAll)
            return text.Replace(OldString, NewString, StringComparison.Ordinal);
        var at = text.IndexOf(OldString, StringComparison.Ordinal);
        return string.Concat(text.AsSpan(0, at), NewString, text.AsSpan(at + OldString.Length));
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    /// <summary>Lines around the first place <paramref name="newString"/> stands in <paramref name="text"/>, numbered like <c>cat -n</c>.</summary>
    public static string Snippet(string text, string newString, int context = 4)
    {
        var lines = text.Split('\n');
        var at = newString.Length == 0 ? -1 : text.IndexOf(newString, StringComparison.Ordinal);
        var first = at < 0 ? 0 : text.AsSpan(0, at).Count('\n');
        var last = first + newString.AsSpan().Count('\n');
        var from = Math.Max(0, first - context);
        var to = Math.Min(lines.Length - 1, last + context);
        var snippet = new StringBuilder();
        for (var i = from; i <= to; i++)
            snippet.Append((i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(6)).Append('\t').Append(lines[i].TrimEnd('\r')).Append('\n');
        return snippet.ToString().TrimEnd('\n');
    }
}
