namespace Overseer.Storage;

/// <summary>API tokens, kept only as SHA-256 hashes. Each belongs to a user.</summary>
public interface IApiTokenStore
{
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
    Task AddAsync(ApiTokenRecord token, CancellationToken cancellationToken = default);

    /// <summary>The token with this hash, revoked or expired ones included (the caller decides).</summary>
    Task<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiTokenRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Tokens of one user, or of everyone when <paramref name="userId"/> is null, newest first.</summary>
    Task<IReadOnlyList<ApiTokenRecord>> ListAsync(string? userId = null, CancellationToken cancellationToken = default);

    /// <summary>Marks a token revoked; false when there is no such token or it already was.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records when a token was last used.</summary>
    Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// A token. <paramref name="Role"/> is its ceiling: the holder acts with the lesser of it and
/// their user's role.
/// </summary>
public sealed record ApiTokenRecord(
    string Id,
    string UserId,
    string Name,
    string Role,
    string Hash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? RevokedAt = null,
    DateTimeOffset? LastUsedAt = null)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
