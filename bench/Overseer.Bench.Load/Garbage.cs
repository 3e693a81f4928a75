using System.Text;

namespace Overseer.Bench.Load;

/// <summary>
/// Seeded generator of hostile input for the soak's HTTP and WebSocket campaigns: JSON bodies
/// that are valid, of the wrong types, huge, truncated, deeply nested, or carry text the server
/// must refuse rather than store (lone surrogates, invalid UTF-8, NUL, bidi controls). Every
/// case once crashed some parser somewhere; sizes stay bounded so a run's memory is the server's.
/// </summary>
internal sealed class Garbage(Random random)
{
    /// <summary>Placeholder swapped for raw bytes after encoding, since .NET strings cannot hold invalid UTF-8.</summary>
    private const string BadBytesMarker = "\u0001BADBYTES\u0001";

    private static readonly string[] WrongTypes =
        ["42", "-1", "0", "1e400", "-0", "9223372036854775808", "true", "false", "null", "[]", "{}", "[1,\"a\",null]", "{\"a\":{\"b\":[]}}", "\"\""];

    private static readonly string[] OddStrings =
    [
        "\"\\ud800\"", "\"half \\ud800 a pair\"", "\"\\udc00\\ud800\"", "\"\\ud800\\ud800\"", // lone surrogates as JSON escapes
        "\"a\\u0000b\"", "\"\\u0000\"", "\"\u202egnp.exe\"", "\"\u2066isolate\u2069\"", "\"zero\u200bwidth\"", // NUL, bidi, invisible
        "\"" + BadBytesMarker + "\"", "\"bad " + BadBytesMarker + " bytes\"",
        "\"../../../../etc/passwd\"", "\"%00\"", "\"\\n\\r\\t\"", "\"😀\"", "\"<script>alert(1)</script>\"", "\"' OR 1=1 --\"",
    ];

    private static readonly byte[][] BadBytes =
    [
        [0xFF], [0xC3, 0x28], [0xFF, 0xFE, 0xFD], [0xED, 0xA0, 0x80] /* an encoded surrogate */, [0xC0, 0xAF] /* overlong '/' */, [0xF4, 0x90, 0x80, 0x80] /* past U+10FFFF */,
    ];

    public Random Random => random;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>One JSON string literal (quotes included), usually odd.</summary>
    public string StringLiteral() => random.Next(4) switch
    {
        0 => "\"plain text " + random.Next(1000) + "\"",
        1 => "\"" + new string('h', random.Next(1, 4) * 1000) + "\"",
        _ => Pick(OddStrings),
    };

    /// <summary>
    /// A request body for an object with the given fields (name → valid JSON value), mutated one
    /// way or another about four times in five. Returns the bytes and a short name for the mutation.
    /// </summary>
    public (byte[] Body, string Kind) Body(IReadOnlyList<(string Name, string Json)> fields)
    {
        var kind = random.Next(16);
        switch (kind)
        {
            case <= 2:
                return (Utf8(Object(fields)), "valid");
            case 3: // wrong types everywhere
                return (Utf8(Object(fields.Select(f => (f.Name, Pick(WrongTypes))).ToList())), "wrong-types");
            case 4: // one field huge (up to 2 MB: past the 1 MiB body limit sometimes)
                return (Utf8(Object(Replace(fields, "\"" + new string('x', random.Next(1, 2_000_000)) + "\""))), "huge-string");
            case 5:
            case 6: // one field odd text: surrogates, NUL, bidi, invalid UTF-8
                return (WithBadBytes(Object(Replace(fields, Pick(OddStrings)))), "odd-text");
            case 7: // valid, cut short
                var whole = Utf8(Object(fields));
                return (whole[..random.Next(whole.Length)], "truncated");
            case 8:
                return (Utf8(Pick(["", "null", "[]", "\"text\"", "42", "{", "}", "{\"a\":}", "{'single':'quotes'}", "{\"a\":1,}", "\uFEFF{}", "{\"a\":NaN}"])), "not-an-object");
            case 9: // nesting far past any reader's depth limit
                var depth = random.Next(64, 20_000);
                return (Utf8(new string('[', depth) + new string(']', depth)), "deep");
            case 10: // duplicate and case-twisted names, unknown fields
                var twisted = fields.SelectMany(f => new[] { f, (f.Name.ToUpperInvariant(), StringLiteral()), f }).Append(("unknown", "{\"x\":1}")).ToList();
                return (WithBadBytes(Object(twisted)), "duplicates");
            case 11: // raw random bytes
                var junk = new byte[random.Next(1, 4096)];
                random.NextBytes(junk);
                return (junk, "random-bytes");
            case 12: // an array of the object, or the object in an array
                return (Utf8("[" + Object(fields) + "," + Object(fields) + "]"), "array");
            case 13: // valid UTF-16 text in a body that will be sent as JSON anyway
                return (Encoding.Unicode.GetBytes(Object(fields)), "utf16");
            default: // one field a different valid value of an odd type
                return (Utf8(Object(Replace(fields, Pick(WrongTypes)))), "one-wrong-type");
        }
    }

    /// <summary>Odd text as a query-string or path value, percent-encoded where it must be.</summary>
    public string UrlValue() => random.Next(14) switch
    {
        0 => "",
        1 => "%FF",
        2 => "%00",
        3 => "%ED%A0%80", // a UTF-8-encoded lone surrogate
        4 => "..%2F..%2Fetc",
        5 => new string('z', random.Next(1, 5000)),
        6 => "-1",
        7 => "9223372036854775808",
        8 => "%E2%80%AE",
        9 => "%F0%9F%98%80",
        10 => "1e10",
        11 => "a%20b",
        12 => "0",
        _ => "x" + random.Next(100_000),
    };

    private List<(string Name, string Json)> Replace(IReadOnlyList<(string Name, string Json)> fields, string json)
    {
        if (fields.Count == 0)
            return [("value", json)];
        var copy = fields.ToList();
        var i = random.Next(copy.Count);
        copy[i] = (copy[i].Name, json);
        return copy;
    }

    private static string Object(IEnumerable<(string Name, string Json)> fields) =>
        "{" + string.Join(",", fields.Select(f => "\"" + f.Name + "\":" + f.Json)) + "}";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>UTF-8 of <paramref name="text"/> with every marker replaced by invalid bytes.</summary>
    private byte[] WithBadBytes(string text)
    {
        if (!text.Contains(BadBytesMarker, StringComparison.Ordinal))
            return Utf8(text);
        var output = new List<byte>(text.Length + 16);
        var parts = text.Split(BadBytesMarker);
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
                output.AddRange(Pick(BadBytes));
            output.AddRange(Utf8(parts[i]));
        }

        return [.. output];
    }

    /// <summary>A text WebSocket payload as bytes: like <see cref="Body"/>, but may hold invalid UTF-8.</summary>
    public byte[] Raw(string textWithMarkers) => WithBadBytes(textWithMarkers);

    /// <summary>The marker <see cref="Raw"/> turns into invalid UTF-8.</summary>
    public static string InvalidUtf8 => BadBytesMarker;
}
