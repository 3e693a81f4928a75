using System.Security.Claims;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>Turns a raw API token into the principal it stands for: its user, acting with the token's ceiling.</summary>
public sealed class TokenPrincipals(IApiTokenStore tokens, IUserStore users, ApiTokenCache cache, TokenUsage usage, TimeProvider time)
{
    /// <summary>
    /// The principal a raw token stands for, or null when it is not valid (unknown, revoked,
    /// expired, or its user removed or disabled). Also used where a token arrives other than in a
    /// header (the WebSocket's first message, the dashboard's sign-in form).
    /// </summary>
    public async Task<ClaimsPrincipal?> FindAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(token);
        var now = time.GetUtcNow();
        if (cache.TryGet(hash, now, out var principal))
        {
            usage.Used(principal.TokenId()!);
            return principal;
        }
        var record = await tokens.FindByHashAsync(hash, cancellationToken);
        if (record is null || !record.IsUsableAt(now))
            return null;
        var user = await users.FindAsync(record.UserId, cancellationToken);
        if (user is null || user.DisabledAt is not null)
            return null;
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.Name),
            new Claim(ClaimTypes.Role, Roles.Min(user.Role, record.Role)),
            new Claim(Caller.UserRoleClaim, user.Role),
            new Claim(Caller.TokenIdClaim, record.Id),
        ];
        // Streams opened with an expiring token close when it expires (LiveConnections).
        if (record.ExpiresAt is { } expires)
            claims.Add(new Claim(Caller.TokenExpiresClaim, expires.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
        principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiTokenAuthenticationHandler.SchemeName));
        cache.Add(hash, principal, record.ExpiresAt);
        usage.Used(record.Id);
        return principal;
    }
}
