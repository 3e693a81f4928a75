using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Streaming;

/// <summary>
/// Reads a gap-free stream: subscribe first, catch up from the store, then go live. A subscriber
/// that falls behind is told so and continues from the store where it left off.
/// </summary>
public sealed class EventStreamReader(EventHub hub, IEventStore store, IOptions<StreamingOptions> options)
{
    public async IAsyncEnumerable<StreamItem> ReadAsync(long afterSeq, IReadOnlySet<string>? sessions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var last = afterSeq;
        var sentSinceHeartbeat = false;
        // One heartbeat timer per quiet period, not one per wake-up: the wait for events is
        // cancelled by it, so a wake costs the channel's one continuation and nothing else.
        var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        heartbeat.CancelAfter(settings.Heartbeat);
        try
        {
            while (true)
            {
                // Subscribing before reading the store means every event is in one or the other:
                // an event committed after this line is buffered; one committed before is stored.
                using var subscription = hub.Subscribe(sessions);
                while (true)
                {
                    var page = await store.ReadAsync(last, settings.CatchUpPageSize, sessions, cancellationToken);
                    foreach (var e in page)
                    {
                        last = e.Seq;
                        yield return StreamItem.Of(e);
                    }
                    if (page.Count < settings.CatchUpPageSize)
                        break;
                }

                var reader = subscription.Reader;
                while (true)
                {
                    // Everything waiting is yielded before Drained: the writer flushes once per wake.
                    while (reader.TryRead(out var e))
                    {
                        if (e.Seq <= last)
                            continue; // already read from the store during catch-up
                        last = e.Seq;
                        sentSinceHeartbeat = true;
                        yield return StreamItem.Of(e);
                    }
                    if (subscription.IsBehind)
                        break;
                    yield return StreamItem.Drained;

                    bool more;
                    var quiet = false;
                    try
                    {
                        more = await reader.WaitToReadAsync(heartbeat.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        more = true;
                        quiet = true;
                    }
                    if (quiet)
                    {
                        heartbeat.Dispose();
                        heartbeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        heartbeat.CancelAfter(settings.Heartbeat);
                        if (!sentSinceHeartbeat)
                            yield return StreamItem.Heartbeat;
                        sentSinceHeartbeat = false;
                    }
                    if (!more)
                        yield break;
                }
                yield return StreamItem.Behind;
            }
        }
        finally
        {
            heartbeat.Dispose();
        }
    }
}

public enum StreamItemKind
{
    Event,
    /// <summary>Everything available has been yielded: a good moment to flush.</summary>
    Drained,
    Heartbeat,
    Behind,
}

public readonly record struct StreamItem(StreamItemKind Kind, EventEnvelope? Event)
{
    public static readonly StreamItem Drained = new(StreamItemKind.Drained, null);
    public static readonly StreamItem Heartbeat = new(StreamItemKind.Heartbeat, null);
    public static readonly StreamItem Behind = new(StreamItemKind.Behind, null);

    public static StreamItem Of(EventEnvelope e) => new(StreamItemKind.Event, e);
}
