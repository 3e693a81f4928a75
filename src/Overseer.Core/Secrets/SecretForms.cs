using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Overseer.Core.Secrets;

/// <summary>
/// The spellings a secret value takes on its way into agent output: the value itself, its UTF-8 bytes as
/// base64 (standard and URL-safe, padded or not, and embedded at any offset in a longer blob), as hex,
/// URL-encoded, and JSON-escaped. Not covered: line-wrapped (MIME) base64, other encodings of the bytes.
/// </summary>
internal static class SecretForms
{
    public static IEnumerable<string> Encoded(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);

        var padded = Convert.ToBase64String(bytes);
        string[] base64 = [padded, padded.TrimEnd('='), StableBase64(bytes, 0), StableBase64(bytes, 1), StableBase64(bytes, 2)];
        foreach (var form in base64)
        {
            yield return form;
            yield return form.Replace('+', '-').Replace('/', '_');
        }

        yield return Convert.ToHexStringLower(bytes);
        yield return Convert.ToHexString(bytes);

        var escaped = Uri.EscapeDataString(value);
        yield return escaped;
        yield return LowerPercentHex(escaped);
        yield return escaped.Replace("%20", "+", StringComparison.Ordinal);

        yield return JsonEncodedText.Encode(value).Value;
        yield return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
    }

    /// <summary>
    /// The characters of base64 that depend only on <paramref name="bytes"/> when they sit
    /// <paramref name="offset"/> bytes into a 3-byte group of a longer stream. Base64 maps each 6 bits
    /// to one character, so the characters straddling the value's first and last bits change with the
    /// neighbours; everything between is the same wherever the value appears at that alignment.
    /// </summary>
    internal static string StableBase64(ReadOnlySpan<byte> bytes, int offset)
    {
        // Zero neighbours stand in for the unknown ones; the stable characters do not read them.
        var stream = new byte[offset + bytes.Length + 2];
        bytes.CopyTo(stream.AsSpan(offset));
        var encoded = Convert.ToBase64String(stream);
        var firstBit = 8 * offset;
        var endBit = 8 * (offset + bytes.Length);
        var first = (firstBit + 5) / 6; // first character starting at or after the value's first bit
        var end = endBit / 6;           // characters before this one end at or before the value's last bit
        return end > first ? encoded[first..end] : string.Empty;
    }

    private static string LowerPercentHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] != '%')
                continue;
            chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
            chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
        }

        return new string(chars);
    }
}
