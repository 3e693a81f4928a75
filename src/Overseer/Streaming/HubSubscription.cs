using System.Threading.Channels;
using Overseer.Contracts.Events;

namespace Overseer.Streaming;

/// <summary>
/// One subscriber's bounded buffer of live events. The writer only ever tries to add: when the
/// buffer is full the subscription is marked behind and takes nothing more, so a slow reader
/// costs at most its buffer and never holds up the writer or anyone else.
/// </summary>
public sealed class HubSubscription : IDisposable
{
    private readonly EventHub _hub;
    private readonly IReadOnlySet<string>? _sessions;
    private readonly Channel<EventEnvelope> _buffer;
    private volatile bool _behind;

    internal HubSubscription(EventHub hub, IReadOnlySet<string>? sessions, int capacity)
    {
        _hub = hub;
        _sessions = sessions;
        _buffer = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<EventEnvelope> Reader => _buffer.Reader;

    /// <summary>True once an event had to be dropped: the reader must re-read from the store.</summary>
    public bool IsBehind => _behind;

    /// <summary>Events waiting in the buffer.</summary>
    public int Buffered => _buffer.Reader.Count;

    internal void Offer(IReadOnlyList<EventEnvelope> batch)
    {
        if (_behind)
            return;
        foreach (var e in batch)
        {
            if (_sessions is not null && (e.SessionId is null || !_sessions.Contains(e.SessionId)))
                continue;
            if (!_buffer.Writer.TryWrite(e))
            {
                _behind = true;
                return;
            }
        }
    }

    public void Dispose() => _hub.Unsubscribe(this);
}
