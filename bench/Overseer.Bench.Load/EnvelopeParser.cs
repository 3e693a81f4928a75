using System.Buffers.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

public enum EventKind
{
    Other,
    AgentText,
    StreamBehind,
}

/// <summary>
/// The fields of one event envelope the benchmark needs. <see cref="StampMicros"/>: the wall
/// clock (µs since 1970) the live bench's stand-in agent wrote into the text, 0 when none.
/// </summary>
public record struct ParsedEvent(long Seq, bool HasSeq, EventKind Kind, long TsTicks, bool HasTs, int SessionIdLength, int Text, long StampMicros = 0);

/// <summary>
/// Reads an event envelope with <see cref="Utf8JsonReader"/> straight from the SSE bytes:
/// no strings, no DOM, so a subscriber keeps up with tens of thousands of events a second.
/// </summary>
public static class EnvelopeParser
{
    /// <summary>
    /// Parses <paramref name="json"/>; the session id goes to <paramref name="sessionId"/>
    /// (its length in the result, 0 when absent or too long). Throws <see cref="JsonException"/>
    /// or <see cref="FormatException"/> on malformed input.
    /// </summary>
    public static ParsedEvent Parse(ReadOnlySpan<byte> json, Span<char> sessionId)
    {
        var e = new ParsedEvent { Text = -1 };
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("event is not a JSON object");

        // Properties may come in any order, so remember where "data" starts and read it once "type" is known.
        var data = default(Utf8JsonReader);
        var hasData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                e.Seq = reader.GetInt64();
                e.HasSeq = true;
            }
            else if (reader.ValueTextEquals("sessionId"u8))
            {
                reader.Read();
                // A UTF-8 string never decodes to more chars than it has bytes.
                if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && reader.ValueSpan.Length <= sessionId.Length)
                    e.SessionIdLength = reader.CopyString(sessionId);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                e.Kind = reader.ValueTextEquals("agent.text"u8) ? EventKind.AgentText
                    : reader.ValueTextEquals("stream.behind"u8) ? EventKind.StreamBehind
                    : EventKind.Other;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                e.TsTicks = reader.GetDateTimeOffset().UtcTicks;
                e.HasTs = true;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data = reader;
                hasData = true;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (e.Kind == EventKind.AgentText && hasData)
            (e.Text, e.StampMicros) = ReadText(ref data);
        return e;
    }

    /// <summary>
    /// The number in <c>data.text</c> (-1 when it is missing or not a number) and, for a text
    /// "N STAMP padding" of the live bench, the stamp.
    /// </summary>
    private static (int Text, long Stamp) ReadText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            return (-1, 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8);
            reader.Read();
            if (isText)
            {
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
                    return (-1, 0);
                var value = reader.ValueSpan;
                if (!Utf8Parser.TryParse(value, out int n, out var used))
                    return (-1, 0);
                if (used == value.Length)
                    return (n, 0);
                if (value[used] != (byte)' ' || !Utf8Parser.TryParse(value[(used + 1)..], out long stamp, out var stampUsed)
                    || (used + 1 + stampUsed < value.Length && value[used + 1 + stampUsed] != (byte)' '))
                    return (-1, 0);
                return (n, stamp);
            }

            reader.Skip();
        }

        return (-1, 0);
    }
}
