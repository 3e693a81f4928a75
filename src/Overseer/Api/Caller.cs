using System.Security.Claims;

namespace Overseer.Api;

public static class Caller
{
    /// <summary>The name recorded as the actor of what this request does.</summary>
    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
