using System.Security.Claims;
using Overseer.Storage;

namespace Overseer.Notifications;

/// <summary>A user as a request of theirs would be signed in: their own global role, no token ceiling.</summary>
internal static class UserPrincipal
{
    public static ClaimsPrincipal For(UserRecord user) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role)], "notification"));
}
