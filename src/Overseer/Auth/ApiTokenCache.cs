using System.Collections.Concurrent;
using System.Security.Claims;

namespace Overseer.Auth;

/// <summary>
/// Tokens already checked against the store, by hash: most requests need no database read.
/// Whatever changes a token or a user (revoking, removing, changing a role) clears it.
/// </summary>
public sealed class ApiTokenCache
{
    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, DateTimeOffset? ExpiresAt)> _principals = new(StringComparer.Ordinal);

    public bool TryGet(string hash, DateTimeOffset now, out ClaimsPrincipal principal)
    {
        principal = null!;
        if (!_principals.TryGetValue(hash, out var entry))
            return false;
        if (entry.ExpiresAt <= now)
        {
            _principals.TryRemove(hash, out _);
            return false;
        }
        principal = entry.Principal;
        return true;
    }

    public void Add(string hash, ClaimsPrincipal principal, DateTimeOffset? expiresAt)
    {
        // A flood of distinct valid tokens is impossible, but keep the cache bounded anyway.
        if (_principals.Count > 10_000)
            _principals.Clear();
        _principals[hash] = (principal, expiresAt);
    }

    public void Clear() => _principals.Clear();
}
