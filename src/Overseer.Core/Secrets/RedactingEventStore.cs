using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Secrets;

/// <summary>
/// Every append passes here first: secret values (and their encoded forms) in event data become
/// «secret:NAME» before anything is stored, so no stream, page, export or log can carry them.
/// </summary>
public sealed class RedactingEventStore(IEventStore inner, SecretVault vault) : IEventStore
{
    public long LastSeq => inner.LastSeq;

    public Task<IReadOnlyList<EventEnvelope>> AppendAsync(IReadOnlyList<NewEvent> events, CancellationToken cancellationToken = default)
    {
        var redactor = vault.Redactor;
        if (redactor.IsEmpty)
            return inner.AppendAsync(events, cancellationToken);
        var redacted = new NewEvent[events.Count];
        for (var i = 0; i < redacted.Length; i++)
        {
            var e = events[i];
            var data = redactor.Redact(e.Data);
            redacted[i] = data.Equals(e.Data) ? e : e with { Data = data };
        }
        return inner.AppendAsync(redacted, cancellationToken);
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAsync(long afterSeq, int limit, IReadOnlySet<string>? sessions = null, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(afterSeq, limit, sessions, cancellationToken);

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadSessionAsync(sessionId, afterSeq, limit, cancellationToken);

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionBeforeAsync(string sessionId, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadSessionBeforeAsync(sessionId, beforeSeq, limit, cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);
}
