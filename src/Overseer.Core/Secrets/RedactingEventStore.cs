using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Secrets;

/// <summary>
/// Every append passes here first: secret values (and their encoded forms) in event data and in
/// the blobs events refer to become «secret:NAME» before anything is stored, so no stream, page,
/// blob, export or log can carry them.
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
            redacted[i] = Redact(events[i], redactor);
        return inner.AppendAsync(redacted, cancellationToken);
    }

    private static NewEvent Redact(NewEvent e, SecretRedactor redactor)
    {
        var data = e.Data;
        var blobs = e.Blobs;
        NewBlob[]? redactedBlobs = null;
        for (var i = 0; blobs is not null && i < blobs.Count; i++)
        {
            var text = redactor.Redact(blobs[i].Text);
            if (ReferenceEquals(text, blobs[i].Text))
                continue;
            // A blob is named by its content's hash, and the event names its blob: both change
            // (a hash of the text with the secret in it must not be kept either).
            var blob = NewBlob.Of(text);
            (redactedBlobs ??= [.. blobs])[i] = blob;
            data = JsonDocument.Parse(data.GetRawText().Replace(blobs[i].Id, blob.Id, StringComparison.Ordinal)).RootElement.Clone();
        }
        data = redactor.Redact(data);
        if (data.Equals(e.Data) && redactedBlobs is null)
            return e;
        return e with { Data = data, Blobs = redactedBlobs ?? blobs };
    }

    public Task<IReadOnlyList<EventEnvelope>> ReadAsync(long afterSeq, int limit, IReadOnlySet<string>? sessions = null, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(afterSeq, limit, sessions, cancellationToken);

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionAsync(string sessionId, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadSessionAsync(sessionId, afterSeq, limit, cancellationToken);

    public Task<IReadOnlyList<EventEnvelope>> ReadSessionBeforeAsync(string sessionId, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadSessionBeforeAsync(sessionId, beforeSeq, limit, cancellationToken);

    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);
}
