using System.Security.Claims;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Api;

/// <summary>Who a request comes from, as its authentication put it in the principal.</summary>
public static class Caller
{
    public const string TokenIdClaim = "token_id";

    /// <summary>The user's own global role, before a token's ceiling: it decides which projects they can see at all.</summary>
    public const string UserRoleClaim = "user_role";

    /// <summary>When the token expires, in Unix milliseconds; absent when it never does.</summary>
    public const string TokenExpiresClaim = "token_expires";

    /// <summary>The name recorded as the actor of what this request does.</summary>
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    /// <summary>Who a decision or command is recorded as done by: the user's name and id, and the token used.</summary>
    public static ActedBy ActedBy(this ClaimsPrincipal user) => new(user.Name(), user.UserId(), user.TokenId());

    /// <summary>The user's id, or null when the request is not signed in.</summary>
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The token the request came with, or null (a dashboard cookie signed in another way).</summary>
    public static string? TokenId(this ClaimsPrincipal user) => user.FindFirstValue(TokenIdClaim);

    /// <summary>When the request's token expires, or null when it never does (or there is no token).</summary>
    public static DateTimeOffset? TokenExpiresAt(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(TokenExpiresClaim), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;

    /// <summary>
    /// The user's own global role (an owner's read-only token still sees every project, read-only);
    /// the acting role when the principal does not say.
    /// </summary>
    public static string UserRole(this ClaimsPrincipal user) => user.FindFirstValue(UserRoleClaim) is { } role && Roles.IsKnown(role) ? role : user.Role();

    /// <summary>The global role the request acts with: the user's, capped by the token's.</summary>
    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) is { } role && Roles.IsKnown(role) ? role : "";
}
