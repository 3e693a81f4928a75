using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Overseer.TestKit.OpenId;

/// <summary>
/// A real OpenID Connect provider on loopback (OpenIddict's server): discovery, signing keys,
/// authorization code with PKCE, a confidential client. Its authorization endpoint signs in
/// <see cref="SignedInAs"/> at once, as if that person had typed their password there.
/// <see cref="Fault"/> makes it hand out tampered or expired id tokens, to show they are refused.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public const string ClientId = "overseer-tests";
    public const string ClientSecret = "not-a-real-secret";
    public const string GroupsClaim = "groups";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _redirectUris = new(StringComparer.Ordinal);
    private int _tokensIssued;

    private OpenIdProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The issuer and authority: <c>http://127.0.0.1:port/</c>.</summary>
    public Uri Issuer { get; }

    /// <summary>Who the next authorization signs in; null refuses it (access_denied).</summary>
    public OpenIdUser? SignedInAs { get; set; }

    public IdTokenFault Fault { get; set; }

    /// <summary>Id tokens handed out at the token endpoint so far.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>Lets a client's callback address receive codes (the address must match exactly).</summary>
    public void AllowRedirectUri(Uri uri) => _redirectUris[uri.ToString()] = true;

    public static async Task<OpenIdProvider> StartAsync()
    {
        OpenIdProvider? provider = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddOpenIddict().AddServer(o =>
        {
            o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            o.DisableAccessTokenEncryption();
            o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, "groups");
            // No application or token database: the handlers below check the client instead.
            o.EnableDegradedMode();
            o.UseAspNetCore().DisableTransportSecurityRequirement();
            o.AddEventHandler<ValidateAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                else if (context.RedirectUri is null || !provider!._redirectUris.ContainsKey(context.RedirectUri))
                    context.Reject(Errors.InvalidRequest, $"redirect_uri '{context.RedirectUri}' is not registered.");
                return default;
            }));
            o.AddEventHandler<ValidateTokenRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                return default;
            }));
            o.AddEventHandler<HandleAuthorizationRequestContext>(h => h.UseInlineHandler(context =>
            {
                if (provider!.SignedInAs is not { } user)
                {
                    context.Reject(Errors.AccessDenied, "Nobody is signed in at the provider.");
                    return default;
                }
                context.SignIn(Principal(user, context.Request.GetScopes()));
                return default;
            }));
            o.AddEventHandler<ApplyTokenResponseContext>(h => h.UseInlineHandler(context =>
            {
                if (context.Response.IdToken is { } idToken)
                {
                    Interlocked.Increment(ref provider!._tokensIssued);
                    context.Response.IdToken = provider.Fault switch
                    {
                        IdTokenFault.BadSignature => Tampered(idToken),
                        IdTokenFault.Expired => Expired(idToken, context.Options.SigningCredentials[0]),
                        _ => idToken,
                    };
                }
                return default;
            }));
        });
        var app = builder.Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider = new OpenIdProvider(app, new Uri(address.TrimEnd('/') + "/"));
        return provider;
    }

    private static ClaimsPrincipal Principal(OpenIdUser user, System.Collections.Immutable.ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Name, user.Name));
        identity.AddClaim(new Claim(Claims.PreferredUsername, user.Name));
        foreach (var group in user.Groups)
            identity.AddClaim(new Claim(GroupsClaim, group));
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The same token with an admins group written into its payload after it was signed.</summary>
    private static string Tampered(string idToken)
    {
        var parts = idToken.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload[GroupsClaim] = new JsonArray("overseer-admins", "overseer-owners");
        parts[1] = Base64UrlEncoder.Encode(payload.ToJsonString());
        return string.Join('.', parts);
    }

    /// <summary>The same claims, signed with the provider's own key, but issued two hours ago and expired one hour ago.</summary>
    private static string Expired(string idToken, SigningCredentials key)
    {
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(idToken.Split('.')[1]))!.AsObject();
        var now = DateTimeOffset.UtcNow;
        payload["iat"] = now.AddHours(-2).ToUnixTimeSeconds();
        payload["nbf"] = now.AddHours(-2).ToUnixTimeSeconds();
        payload["exp"] = now.AddHours(-1).ToUnixTimeSeconds();
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(payload.ToJsonString(), key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
