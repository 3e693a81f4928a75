using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Contracts.Events;

/// <summary>
/// A stored, immutable fact. <see cref="Seq"/> is global and grows in commit order;
/// <see cref="SessionSeq"/> is gap-free within one session (0 for events outside a session).
/// </summary>
public sealed record EventEnvelope(
    long Seq,
    string? SessionId,
    long SessionSeq,
    string Type,
    DateTimeOffset Ts,
    string Actor,
    JsonElement Data)
{
    private byte[]? _utf8Json;

    /// <summary>
    /// The envelope as UTF-8 JSON, serialised once however many subscribers receive it
    /// (the event path is the hottest path in the server).
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> Utf8Json => _utf8Json ??= JsonSerializer.SerializeToUtf8Bytes(this, OverseerJson.Default.EventEnvelope);

    private byte[]? _frame;

    /// <summary>
    /// The envelope wrapped for a transport that frames it (the WebSocket <c>agent_message</c>),
    /// built by the first client that sends it and shared by every other: a table beside the
    /// envelopes cost more to grow than the frames themselves.
    /// </summary>
    public byte[] FrameOnce<TState>(TState state, Func<EventEnvelope, TState, byte[]> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return _frame ??= build(this, state);
    }
}
