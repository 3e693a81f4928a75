using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Overseer.Contracts.Text;

/// <summary>Where a JSON document holds text that is not Unicode, and why.</summary>
/// <param name="Field">The JSON path of the string without <c>$.</c> (<c>script[2].say</c>); null for the root.</param>
public sealed record InvalidJsonText(string? Field, string Detail);

/// <summary>
/// Finds the first string (value or property name) in UTF-8 JSON that is not valid Unicode:
/// invalid UTF-8 bytes, or a <c>\uD800</c>-style escape with no partner. The serializer lets both
/// through into <see cref="JsonElement"/>s that throw later, deep in whatever reads them, so every
/// request body and WebSocket message is checked once, here, before anything reads it.
/// </summary>
public static class JsonTextCheck
{
    // A property's name is kept as where it starts in the JSON, and decoded only to report a
    // problem: the happy path (every agent line goes through here) allocates no strings.
    private readonly record struct Frame(bool IsArray, int Index, long NameStart);

    /// <summary>Null when every string is valid Unicode, or when the JSON is malformed (the parser that follows says how).</summary>
    public static InvalidJsonText? Find(ReadOnlySpan<byte> json, int maxDepth = 64)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        var path = new List<Frame>(8);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        path[^1] = path[^1] with { NameStart = -1 };
                        if (!IsValid(ref reader))
                            return new InvalidJsonText(FieldOf(json, path), $"A property name {Where(json, path)}is not valid Unicode (invalid UTF-8 or an unpaired surrogate).");
                        path[^1] = path[^1] with { NameStart = reader.TokenStartIndex };
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.RemoveAt(path.Count - 1);
                        continue;
                }
                // A value: in an array it takes the next index.
                if (path.Count > 0 && path[^1].IsArray)
                    path[^1] = path[^1] with { Index = path[^1].Index + 1 };
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        path.Add(new Frame(false, -1, -1));
                        break;
                    case JsonTokenType.StartArray:
                        path.Add(new Frame(true, -1, -1));
                        break;
                    case JsonTokenType.String when !IsValid(ref reader):
                        var field = FieldOf(json, path);
                        var named = field is null ? "The body" : $"Field '{field}'";
                        return new InvalidJsonText(field, $"{named} is not valid Unicode text (invalid UTF-8 or an unpaired surrogate such as \\uD800).");
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }
        return null;
    }

    private static bool IsValid(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.HasValueSequence
                ? Utf8.IsValid(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
                : Utf8.IsValid(reader.ValueSpan);
        }
        // An unpaired \uXXXX surfaces only in the escapes, so they are checked where they stand
        // instead of unescaping the text into a buffer: a megabyte of escaped text in a request
        // body or an agent line would otherwise rent a megabyte-sized array from the shared pool,
        // which keeps such arrays (per core and per thread) long after (issue 12, item 5).
        return reader.HasValueSequence
            ? IsValidEscaped(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence))
            : IsValidEscaped(reader.ValueSpan);
    }

    /// <summary>
    /// True when a string's escaped UTF-8 (as it stands between the quotes) is valid UTF-8 and every
    /// <c>\uD800</c>–<c>\uDBFF</c> escape is followed at once by a <c>\uDC00</c>–<c>\uDFFF</c> one, and
    /// no low one stands alone. A backslash byte never occurs inside a multi-byte UTF-8 sequence,
    /// so the text between escapes can be checked on its own.
    /// </summary>
    internal static bool IsValidEscaped(ReadOnlySpan<byte> raw)
    {
        var pendingHigh = false;
        while (true)
        {
            var backslash = raw.IndexOf((byte)'\\');
            var text = backslash < 0 ? raw : raw[..backslash];
            if (text.Length > 0 && (pendingHigh || !Utf8.IsValid(text)))
                return false;
            if (backslash < 0)
                return !pendingHigh;
            raw = raw[backslash..];
            if (raw.Length < 2)
                return false;
            if (raw[1] != (byte)'u')
            {
                if (pendingHigh)
                    return false;
                raw = raw[2..];
                continue;
            }
            if (raw.Length < 6 || !ushort.TryParse(raw.Slice(2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var unit))
                return false;
            raw = raw[6..];
            var c = (char)unit;
            if (char.IsHighSurrogate(c))
            {
                if (pendingHigh)
                    return false;
                pendingHigh = true;
            }
            else if (char.IsLowSurrogate(c))
            {
                if (!pendingHigh)
                    return false;
                pendingHigh = false;
            }
            else if (pendingHigh)
            {
                return false;
            }
        }
    }

    /// <summary>True when <paramref name="text"/> holds no unpaired surrogate.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
                continue;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            return false;
        }
        return true;
    }

    private static string Where(ReadOnlySpan<byte> json, List<Frame> path) => FieldOf(json, path) is { } field ? $"in '{field}' " : "";

    /// <summary><c>script[2].say</c>: names joined by dots, array indexes in brackets.</summary>
    private static string? FieldOf(ReadOnlySpan<byte> json, List<Frame> path)
    {
        var builder = new StringBuilder();
        foreach (var frame in path)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0)
                    builder.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.NameStart >= 0)
            {
                if (builder.Length > 0)
                    builder.Append('.');
                builder.Append(NameAt(json, frame.NameStart));
            }
        }
        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>The property name whose token starts at <paramref name="start"/> (already checked readable).</summary>
    private static string NameAt(ReadOnlySpan<byte> json, long start)
    {
        var reader = new Utf8JsonReader(json[(int)start..], new JsonReaderOptions { AllowTrailingCommas = true });
        reader.Read();
        return reader.GetString() ?? "";
    }
}
