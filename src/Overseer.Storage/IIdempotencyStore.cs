namespace Overseer.Storage;

/// <summary>
/// What a request sent with an <c>Idempotency-Key</c> created, so that the same key from the same
/// caller gets the same answer instead of a second resource.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>The record for this caller's key, if one was made at or after <paramref name="notBefore"/>.</summary>
    Task<IdempotencyRecord?> FindAsync(string owner, string key, DateTimeOffset notBefore, CancellationToken cancellationToken = default);

    /// <summary>Keeps <paramref name="record"/> and forgets every record made before <paramref name="forgetBefore"/>.</summary>
    Task AddAsync(IdempotencyRecord record, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default);
}

/// <param name="Owner">Who sent the key (an API token's id): keys of different callers never meet.</param>
/// <param name="Fingerprint">A hash of the request as understood, to tell a retry from a different request.</param>
/// <param name="ResourceId">What the request created (a session id).</param>
/// <param name="Response">The response body the first request got, sent again to a retry.</param>
public sealed record IdempotencyRecord(string Owner, string Key, string Fingerprint, string ResourceId, string Response, DateTimeOffset CreatedAt);
