using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Streaming;

/// <summary>
/// Fans committed events out to live subscribers. Publishing walks a copy-on-write array and
/// only tries to enqueue, so it never waits on a subscriber.
/// </summary>
public sealed class EventHub(Microsoft.Extensions.Options.IOptions<StreamingOptions> options) : ICommitObserver
{
    private readonly Lock _gate = new();
    private HubSubscription[] _subscriptions = [];

    public int SubscriberCount => Volatile.Read(ref _subscriptions).Length;

    /// <summary>Subscribers marked behind (read by a metrics scrape, never by the writer).</summary>
    public int BehindCount
    {
        get
        {
            var behind = 0;
            foreach (var subscription in Volatile.Read(ref _subscriptions))
                behind += subscription.IsBehind ? 1 : 0;
            return behind;
        }
    }

    /// <summary>Starts buffering live events for the given sessions (all when null).</summary>
    public HubSubscription Subscribe(IReadOnlySet<string>? sessions)
    {
        var subscription = new HubSubscription(this, sessions, options.Value.SubscriberBuffer);
        lock (_gate)
            _subscriptions = [.. _subscriptions, subscription];
        return subscription;
    }

    internal void Unsubscribe(HubSubscription subscription)
    {
        lock (_gate)
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
    }

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
            subscription.Offer(batch);
    }
}
