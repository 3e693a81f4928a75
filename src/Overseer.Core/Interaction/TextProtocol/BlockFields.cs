namespace Overseer.Core.Interaction.TextProtocol;

/// <summary>
/// The <c>key: value</c> lines of a block body. Keys are matched ignoring case, <c>_</c> and <c>-</c>
/// (<c>multi_select</c>, <c>multiSelect</c> and <c>multi-select</c> are one key). A known key may be
/// written <c>key:value</c>; an unknown one needs a space after the colon, so a line such as
/// <c>https://example.com</c> stays text. Lines that are not fields continue the field above them
/// (or, before the first field, form the <see cref="Preamble"/>); blank lines are skipped.
/// A repeated field: the last one wins. Unknown fields are kept but nobody asks for them.
/// </summary>
internal sealed class BlockFields
{
    private static readonly HashSet<string> Known =
        ["category", "question", "options", "multiselect", "type", "name", "description", "required", "message"];

    private readonly Dictionary<string, (string Value, List<string> More)> _fields = new(StringComparer.Ordinal);

    private BlockFields(string preamble) => Preamble = preamble;

    /// <summary>Free text before the first field, lines joined with <c>\n</c>.</summary>
    public string Preamble { get; }

    public static BlockFields Parse(string body)
    {
        var preamble = new List<string>();
        var fields = new List<(string Key, string Value, List<string> More)>();
        foreach (var rawLine in body.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0)
                continue;
            var match = ProtocolSyntax.Field().Match(line);
            var key = match.Success ? Normalize(match.Groups["key"].Value) : null;
            var value = match.Success ? match.Groups["value"].Value : "";
            if (key is not null && (Known.Contains(key) || value.Length == 0 || char.IsWhiteSpace(value[0])))
                fields.Add((key, value.Trim(), []));
            else if (fields.Count > 0)
                fields[^1].More.Add(line);
            else
                preamble.Add(line);
        }
        var result = new BlockFields(string.Join('\n', preamble));
        foreach (var (key, value, more) in fields)
            result._fields[key] = (value, more);
        return result;
    }

    /// <summary>The first line's value, unquoted; null when the field is absent or empty.</summary>
    public string? Scalar(string key) =>
        _fields.TryGetValue(key, out var field) && Unquote(field.Value) is { Length: > 0 } value ? value : null;

    /// <summary>The value with its continuation lines; null when the field is absent or empty.</summary>
    public string? Text(string key)
    {
        if (!_fields.TryGetValue(key, out var field))
            return null;
        var first = Unquote(field.Value);
        var text = field.More.Count == 0 ? first : string.Join('\n', first.Length > 0 ? [first, .. field.More] : field.More);
        return text.Length > 0 ? text : null;
    }

    /// <summary>
    /// A list: the first line split on <c>|</c> if it has one, else on <c>,</c> (an enclosing
    /// <c>[ ]</c> is removed), then one item per continuation line with any bullet removed.
    /// Items are trimmed and unquoted; empty and repeated items are left out.
    /// </summary>
    public IReadOnlyList<string> List(string key)
    {
        if (!_fields.TryGetValue(key, out var field))
            return [];
        var first = field.Value;
        if (first.Length >= 2 && first[0] == '[' && first[^1] == ']')
            first = first[1..^1];
        var items = first.Length == 0 ? [] : first.Split(first.Contains('|', StringComparison.Ordinal) ? '|' : ',').ToList();
        items.AddRange(field.More.Select(line => ProtocolSyntax.Bullet().Replace(line, "", 1)));
        return items.Select(item => Unquote(item.Trim())).Where(item => item.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>true/false/yes/no, ignoring case; <paramref name="absent"/> when the field is missing; null when unreadable.</summary>
    public bool? Flag(string key, bool absent) => Scalar(key)?.ToUpperInvariant() switch
    {
        null => absent,
        "TRUE" or "YES" => true,
        "FALSE" or "NO" => false,
        _ => null,
    };

    private static string Normalize(string key) =>
        key.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string Unquote(string value)
    {
        value = value.Trim();
        return value.Length >= 2 && (value[0] is '"' or '\'' or '`') && value[^1] == value[0] ? value[1..^1].Trim() : value;
    }
}
