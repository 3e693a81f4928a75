using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against the stored token hashes.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IApiTokenStore tokens,
    ApiTokenCache cache)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
            return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <token>'.");
        var principal = await FindPrincipalAsync(header[7..].Trim(), tokens, cache, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("The token is not valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// The principal a raw token stands for, or null when it is not valid. Also used where a
    /// token arrives other than in a header (the WebSocket's first message).
    /// </summary>
    public static async Task<ClaimsPrincipal?> FindPrincipalAsync(string token, IApiTokenStore tokens, ApiTokenCache cache, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(token);
        if (cache.TryGet(hash, out var principal))
            return principal;
        var record = await tokens.FindByHashAsync(hash, cancellationToken);
        if (record is null)
            return null;
        principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role), new Claim("token_id", record.Id)],
            SchemeName));
        cache.Add(hash, principal);
        return principal;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
            "A valid API token is required: send 'Authorization: Bearer <token>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "FORBIDDEN", "This token may not do that.");
}

/// <summary>Tokens already checked against the store, by hash: most requests need no database read.</summary>
public sealed class ApiTokenCache
{
    private readonly ConcurrentDictionary<string, ClaimsPrincipal> _principals = new(StringComparer.Ordinal);

    public bool TryGet(string hash, out ClaimsPrincipal principal) => _principals.TryGetValue(hash, out principal!);

    public void Add(string hash, ClaimsPrincipal principal)
    {
        // A flood of distinct valid tokens is impossible, but keep the cache bounded anyway.
        if (_principals.Count > 10_000)
            _principals.Clear();
        _principals[hash] = principal;
    }
}
