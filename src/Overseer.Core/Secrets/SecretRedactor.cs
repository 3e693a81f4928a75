using System.Buffers;
using System.Collections.Frozen;
using System.Text;

namespace Overseer.Core.Secrets;

/// <summary>
/// Replaces secret values, and their encoded forms (see <see cref="SecretForms"/>), with <c>«secret:NAME»</c>.
/// Immutable and thread-safe: build one per set of secrets and share it. Text with no secret in it is
/// returned as the same instance without allocating.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumLength"/> characters are not redacted at all: a 1–3 character
/// value occurs by chance in ordinary text so often that redacting it would shred the event log while
/// protecting nothing worth protecting. Where matches overlap, the union is replaced, so no character of
/// any matched secret survives; a secret that contains another is replaced whole by its own name.
/// </remarks>
public sealed partial class SecretRedactor
{
    public const int MinimumLength = 4;

    private readonly SearchValues<string>? _search;
    private readonly FrozenDictionary<char, Needle[]> _byFirstChar;
    private readonly int _longestNeedle;

    public SecretRedactor(IEnumerable<KeyValuePair<string, string>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var kept = secrets
            .Where(s => s.Value is { Length: >= MinimumLength })
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => (Marker: $"«secret:{s.Key}»", s.Value))
            .ToArray();

        // Plain values claim their text before any encoded form does, so a value that happens to equal
        // another secret's encoding is reported under its own name; ties go to the first name in order.
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (marker, value) in kept)
            owners.TryAdd(value, marker);
        foreach (var (marker, value) in kept)
        {
            foreach (var form in SecretForms.Encoded(value))
            {
                if (form.Length >= MinimumLength)
                    owners.TryAdd(form, marker);
            }
        }

        _byFirstChar = owners
            .GroupBy(o => o.Key[0])
            .ToFrozenDictionary(
                g => g.Key,
                g => g.OrderByDescending(o => o.Key.Length).Select(o => new Needle(o.Key, o.Value)).ToArray());
        _search = owners.Count == 0 ? null : SearchValues.Create([.. owners.Keys], StringComparison.Ordinal);
        _longestNeedle = owners.Count == 0 ? 0 : owners.Keys.Max(k => k.Length);
    }

    public static SecretRedactor Empty { get; } = new([]);

    /// <summary>True when there is nothing to redact (no secrets, or only ones below <see cref="MinimumLength"/>).</summary>
    public bool IsEmpty => _search is null;

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_search is null)
            return text;
        var first = text.AsSpan().IndexOfAny(_search);
        return first < 0 ? text : Rewrite(text, first);
    }

    private string Rewrite(string text, int position)
    {
        var builder = new StringBuilder(text.Length);
        var copied = 0;      // text before this index has been emitted, as itself or under a marker
        var regionEnd = 0;   // end of the current run of overlapping matches
        string? lastMarker = null;
        while (position >= 0)
        {
            if (LongestAt(text, position) is { } needle)
            {
                var end = position + needle.Text.Length;
                if (position >= regionEnd)
                {
                    builder.Append(text, copied, position - copied).Append(needle.Marker);
                    lastMarker = needle.Marker;
                    regionEnd = end;
                }
                else if (end > regionEnd)
                {
                    // Overlaps the previous match and runs past it: extend the region and name this secret too.
                    if (!ReferenceEquals(needle.Marker, lastMarker))
                        builder.Append(needle.Marker);
                    lastMarker = needle.Marker;
                    regionEnd = end;
                }

                copied = regionEnd;
            }

            // Every start position is examined, so a match beginning inside another is still found.
            var next = position + 1 < text.Length ? text.AsSpan(position + 1).IndexOfAny(_search!) : -1;
            position = next < 0 ? -1 : position + 1 + next;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    private Needle? LongestAt(string text, int position)
    {
        if (!_byFirstChar.TryGetValue(text[position], out var candidates))
            return null;
        var rest = text.AsSpan(position);
        foreach (var needle in candidates)
        {
            if (rest.StartsWith(needle.Text, StringComparison.Ordinal))
                return needle;
        }

        return null;
    }

    private sealed record Needle(string Text, string Marker);
}
