using Overseer.Contracts.Events;

namespace Overseer.Storage;

/// <summary>
/// The one durable, ordered log. Appends that arrive together share a transaction (group commit);
/// projections are updated in that same transaction. Implementations: SQLite now, PostgreSQL for scale-out.
/// </summary>
public interface IEventStore
{
    /// <summary>Appends the events atomically, in order, and returns them as stored.</summary>
    /// <exception cref="EventStoreException">The batch could not be stored; nothing of it was.</exception>
    Task<IReadOnlyList<EventEnvelope>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Events with seq greater than <paramref name="afterSeq"/>, oldest first; all sessions, or those in <paramref name="sessions"/>.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadAsync(long afterSeq, int limit, IReadOnlySet<string>? sessions = null, CancellationToken cancellationToken = default);

    /// <summary>One session's events with seq greater than <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<EventEnvelope>> ReadSessionAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last <paramref name="limit"/> of one session's events with seq below <paramref name="beforeSeq"/>,
    /// oldest first: a long history is shown from its end and paged backwards.
    /// </summary>
    Task<IReadOnlyList<EventEnvelope>> ReadSessionBeforeAsync(string sessionId, long beforeSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>The highest committed seq (0 when empty).</summary>
    long LastSeq { get; }

    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}

public sealed record StoreHealth(bool Healthy, string Provider, long LastSeq, string? Error);

public sealed class EventStoreException(string message, Exception? inner = null) : Exception(message, inner);
