using System.CommandLine;

namespace Overseer.Cli;

/// <summary>
/// "unknown command 'merg'. Did you mean: merge?": the nearest of the commands registered where the
/// word was typed, by edit distance or shared prefix, so commands added later are suggested too.
/// </summary>
internal static class UnknownCommand
{
    /// <summary>The message for a parse that stopped at a word that names no subcommand; null for any other error.</summary>
    public static string? Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-')) is not { } typed)
            return null;
        var names = command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name)).ToList();
        var nearest = Nearest(typed, names);
        return nearest.Count == 0
            ? $"unknown command '{typed}'"
            : $"unknown command '{typed}'. Did you mean: {string.Join(", ", nearest)}?";
    }

    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> names)
    {
        var word = typed.ToLowerInvariant();
        // A slip of a letter or two in a long word, one in a short word: more would suggest everything.
        var allowed = Math.Max(1, word.Length / 3);
        return names
            .Select(name => (name, distance: Distance(word, name)))
            .Where(x => x.distance <= allowed || (word.Length >= 2 && (x.name.StartsWith(word, StringComparison.Ordinal) || word.StartsWith(x.name, StringComparison.Ordinal) && x.name.Length >= 3)))
            .OrderBy(x => x.distance)
            .ThenBy(x => x.name, StringComparer.Ordinal)
            .Select(x => x.name)
            .Distinct()
            .Take(3)
            .ToList();
    }

    /// <summary>Edits (insert, delete, replace, swap two neighbours) that turn one word into the other.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
