using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Overseer.Core.Secrets;

public sealed partial class SecretRedactor
{
    private const int MaxJsonDepth = 1000;

    /// <summary>Bytes decoded at a time when looking for a secret in an event's raw JSON.</summary>
    private const int ScanWindowBytes = 16 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Relaxed so the stored JSON reads «secret:NAME» literally instead of \u00ABsecret:NAME\u00BB.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = MaxJsonDepth,
    };

    /// <summary>
    /// Redacts every string value and property name in the tree (and a number whose digits are a secret,
    /// which becomes a string). Returns <paramref name="element"/> itself when nothing matched.
    /// </summary>
    public JsonElement Redact(JsonElement element)
    {
        if (_search is null || element.ValueKind == JsonValueKind.Undefined || !MayContainSecret(element))
            return element;

        var buffer = new ArrayBufferWriter<byte>();
        bool changed;
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            changed = Write(element, writer);
        if (!changed)
            return element;

        using var document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
        return document.RootElement.Clone();
    }

    // Without escapes every string and property name occurs verbatim in the raw JSON, so a raw text with
    // no needle in it has nothing to redact and the tree walk (which allocates each string) is skipped.
    private bool MayContainSecret(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Contains((byte)'\\'))
            return true;

        // Decoded a window at a time, each starting with the last (longest needle - 1) characters of
        // the one before so no match is cut in two: the buffer stays small however large the event
        // (a whole-text buffer for a 3 MB agent line was 6 MB rented from, and kept by, the shared pool).
        var overlap = _longestNeedle - 1;
        var chars = ArrayPool<char>.Shared.Rent(overlap + Encoding.UTF8.GetMaxCharCount(ScanWindowBytes));
        try
        {
            if (raw.Length <= ScanWindowBytes)
            {
                // The common case, one window: no decoder to carry a character across windows.
                var n = Encoding.UTF8.GetChars(raw, chars);
                return chars.AsSpan(0, n).IndexOfAny(_search!) >= 0;
            }
            var decoder = Encoding.UTF8.GetDecoder();
            var kept = 0;
            while (true)
            {
                var take = Math.Min(raw.Length, ScanWindowBytes);
                var last = take == raw.Length;
                var count = kept + decoder.GetChars(raw[..take], chars.AsSpan(kept), flush: last);
                raw = raw[take..];
                if (chars.AsSpan(0, count).IndexOfAny(_search!) >= 0)
                    return true;
                if (last)
                    return false;
                kept = Math.Min(overlap, count);
                chars.AsSpan(count - kept, kept).CopyTo(chars);
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private bool Write(JsonElement element, Utf8JsonWriter writer)
    {
        var changed = false;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    // JsonProperty.Name allocates on every read, so compare against the one copy we redacted.
                    var original = property.Name;
                    var name = Redact(original);
                    changed |= !ReferenceEquals(name, original);
                    writer.WritePropertyName(name);
                    changed |= Write(property.Value, writer);
                }

                writer.WriteEndObject();
                return changed;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    changed |= Write(item, writer);
                writer.WriteEndArray();
                return changed;
            case JsonValueKind.String:
                var text = element.GetString()!;
                var redacted = Redact(text);
                writer.WriteStringValue(redacted);
                return !ReferenceEquals(redacted, text);
            case JsonValueKind.Number:
                // A numeric PIN or account number is still a secret when an agent emits it unquoted.
                var digits = element.GetRawText();
                var replaced = Redact(digits);
                if (ReferenceEquals(replaced, digits))
                {
                    element.WriteTo(writer);
                    return false;
                }

                writer.WriteStringValue(replaced);
                return true;
            default:
                element.WriteTo(writer);
                return false;
        }
    }
}
