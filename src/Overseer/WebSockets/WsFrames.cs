using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;

namespace Overseer.WebSockets;

/// <summary>Turns server messages into the UTF-8 text frames the outbox sends.</summary>
public static class WsFrames
{
    public static ReadOnlyMemory<byte> Of<T>(T message, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.SerializeToUtf8Bytes(message, typeInfo);

    public static ReadOnlyMemory<byte> Error(string? id, string code, string message, string? field = null, string? projectId = null, string? sessionId = null) =>
        Of(new WsError(id, code, message, field, projectId, sessionId), Contracts.OverseerJson.Default.WsError);

    /// <summary>
    /// <c>{"type":"agent_message","projectId":..,"sessionId":..,"event":&lt;envelope&gt;}</c> around
    /// the envelope's cached JSON: the event itself is serialised once for every stream and client.
    /// </summary>
    public static ReadOnlyMemory<byte> AgentMessage(string projectId, EventEnvelope e)
    {
        var json = e.Utf8Json;
        var buffer = new ArrayBufferWriter<byte>(json.Length + 96);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, WsMessageTypes.AgentMessage);
            writer.WriteString("projectId"u8, projectId);
            writer.WriteString("sessionId"u8, e.SessionId);
            writer.WritePropertyName("event"u8);
            writer.WriteRawValue(json.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }
}
