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
    /// the envelope's cached JSON, built once per event however many clients receive it (a
    /// session never changes project, so the frame is the same for all).
    /// </summary>
    public static ReadOnlyMemory<byte> AgentMessage(string projectId, EventEnvelope e) =>
        e.FrameOnce(projectId, static (e, projectId) => BuildAgentMessage(projectId, e));

    // The writer and its buffer are reused by each thread: the frame itself is the one allocation.
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    private static byte[] BuildAgentMessage(string projectId, EventEnvelope e)
    {
        var json = e.Utf8Json;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteString("type"u8, WsMessageTypes.AgentMessage);
        writer.WriteString("projectId"u8, projectId);
        writer.WriteString("sessionId"u8, e.SessionId);
        writer.WritePropertyName("event"u8);
        writer.WriteRawValue(json.Span, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        var frame = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 64 * 1024)
            t_buffer = null; // a huge event's buffer is not kept for the thread's lifetime
        return frame;
    }
}
