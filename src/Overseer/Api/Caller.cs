using System.Security.Claims;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>Who a request comes from, as its authentication put it in the principal.</summary>
public static class Caller
{
    public const string TokenIdClaim = "token_id";

    /// <summary>The name recorded as the actor of what this request does.</summary>
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    /// <summary>The user's id, or null when the request is not signed in.</summary>
    public static string? UserId(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The token the request came with, or null (a dashboard cookie signed in another way).</summary>
    public static string? TokenId(this ClaimsPrincipal user) => user.FindFirstValue(TokenIdClaim);

    /// <summary>The global role the request acts with: the user's, capped by the token's.</summary>
    public static string Role(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) is { } role && Roles.IsKnown(role) ? role : "";
}
