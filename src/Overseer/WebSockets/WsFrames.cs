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

    // A live event reaches every joined client as the same envelope instance, and a session never
    // changes project, so its frame is built once and shared; it goes when the envelope does.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EventEnvelope, byte[]> AgentMessages = new();

    /// <summary>
    /// <c>{"type":"agent_message","projectId":..,"sessionId":..,"event":&lt;envelope&gt;}</c> around
    /// the envelope's cached JSON, built once per event however many clients receive it.
    /// </summary>
    public static ReadOnlyMemory<byte> AgentMessage(string projectId, EventEnvelope e)
    {
        if (AgentMessages.TryGetValue(e, out var frame))
            return frame;
        frame = BuildAgentMessage(projectId, e);
        // Two clients racing build the same bytes; either copy will do.
        AgentMessages.TryAdd(e, frame);
        return frame;
    }

    private static byte[] BuildAgentMessage(string projectId, EventEnvelope e)
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
        return buffer.WrittenSpan.ToArray();
    }
}
