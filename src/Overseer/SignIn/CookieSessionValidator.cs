using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Dashboard;
using Overseer.Storage;

namespace Overseer.SignIn;

/// <summary>
/// Checks every dashboard request's cookie against the store: a removed or disabled user, or a
/// revoked or expired token (for a session signed in with one), ends the session there and then;
/// a changed name or role is written into the cookie. What was checked is kept until
/// <see cref="AccessChanges"/> moves on, or for <see cref="Recheck"/> at most (a change made by
/// another process, such as a command on the same database), so most requests read nothing.
/// </summary>
internal sealed partial class CookieSessionValidator(IUserStore users, IApiTokenStore tokens, AccessChanges changes, TimeProvider time, ILogger<CookieSessionValidator> log)
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(10);
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(string UserId, string? TokenId), Entry> _checked = new();

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.UserId();
        var current = principal is not null && userId is not null
            ? await CurrentAsync(userId, principal.TokenId(), context.HttpContext.RequestAborted)
            : null;
        if (principal is null || current is not { } now)
        {
            SessionEnded(log, userId ?? "(none)");
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardServiceCollectionExtensions.Scheme);
            return;
        }
        if (now.Name != principal.Name() || now.Role != principal.Role())
        {
            context.ReplacePrincipal(SignInPrincipals.WithUser(principal, now.Name, now.Role));
            context.ShouldRenew = true;
        }
    }

    /// <summary>The user's name and the role the session acts with now, or null when the session must end.</summary>
    public async ValueTask<(string Name, string Role)?> CurrentAsync(string userId, string? tokenId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Read before the store: a change made while reading leaves this entry already out of date.
        var version = changes.Version;
        if (_checked.TryGetValue((userId, tokenId), out var seen) && seen.Version == version && now - seen.CheckedAt < Recheck && !(seen.ExpiresAt <= now))
            return seen.Role is null ? null : (seen.Name!, seen.Role);

        var user = await users.FindAsync(userId, cancellationToken);
        var role = user is { DisabledAt: null } ? user.Role : null;
        DateTimeOffset? expires = null;
        if (role is not null && tokenId is not null)
        {
            var token = await tokens.FindAsync(tokenId, cancellationToken);
            if (token is null || token.UserId != userId || !token.IsUsableAt(now))
                role = null;
            else
            {
                role = Roles.Min(role, token.Role);
                expires = token.ExpiresAt;
            }
        }
        if (_checked.Count >= MaxEntries)
            _checked.Clear();
        _checked[(userId, tokenId)] = new Entry(version, now, user?.Name, role, expires);
        return role is null ? null : (user!.Name, role);
    }

    private sealed record Entry(long Version, DateTimeOffset CheckedAt, string? Name, string? Role, DateTimeOffset? ExpiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard session of user {UserId} ended: the user or the token it was signed in with is no longer valid.")]
    private static partial void SessionEnded(ILogger logger, string userId);
}
