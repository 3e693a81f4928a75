using System.Security.Claims;
using Overseer.Api;
using Overseer.Dashboard;
using Overseer.Storage;

namespace Overseer.SignIn;

/// <summary>
/// The principal a dashboard cookie carries: the same claims as an API token's
/// (<see cref="Auth.TokenPrincipals"/>) — user id, name, role, and the token id only when signed
/// in with a token — plus how the session was signed in.
/// </summary>
internal static class SignInPrincipals
{
    public static ClaimsPrincipal ForUser(UserRecord user, string method) => Build(user.Id, user.Name, user.Role, null, method);

    /// <summary>A token's principal (from <see cref="Auth.TokenPrincipals"/>) as a cookie principal.</summary>
    public static ClaimsPrincipal ForToken(ClaimsPrincipal token) =>
        Build(token.UserId()!, token.Name(), token.Role(), token.TokenId(), SignInMethods.Token);

    /// <summary>The same session with its user's current name and role.</summary>
    public static ClaimsPrincipal WithUser(ClaimsPrincipal cookie, string name, string role) =>
        Build(cookie.UserId()!, name, role, cookie.TokenId(), cookie.FindFirstValue(SignInMethods.ClaimType) ?? SignInMethods.Token);

    private static ClaimsPrincipal Build(string userId, string name, string role, string? tokenId, string method)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
        };
        if (tokenId is not null)
            claims.Add(new Claim(Caller.TokenIdClaim, tokenId));
        claims.Add(new Claim(SignInMethods.ClaimType, method));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, DashboardServiceCollectionExtensions.Scheme));
    }
}
