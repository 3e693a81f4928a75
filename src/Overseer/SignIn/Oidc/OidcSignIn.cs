using Overseer.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Overseer.Dashboard;

namespace Overseer.SignIn.Oidc;

/// <summary>
/// Single sign-on through ASP.NET Core's OpenID Connect handler: authorization code with PKCE,
/// the id token's signature, issuer, audience, lifetime and nonce all checked by the handler,
/// then <see cref="OidcUserLinker"/> decides who that is here and the dashboard cookie is issued.
/// </summary>
internal static partial class OidcSignIn
{
    public const string Scheme = "Oidc";
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Registers the handler only when <c>Auth:Oidc:Authority</c> is set: an unconfigured handler would fail every request.</summary>
    public static void AddOidcSignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{OidcOptions.Section}:{nameof(OidcOptions.Authority)}"]))
            return;
        authentication.AddOpenIdConnect(Scheme, _ => { });
        authentication.Services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcOptions>>((o, settings) => Configure(o, settings.Value));
    }

    public static IEndpointRouteBuilder MapOidcSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login/oidc", (HttpContext context, IOptions<OidcOptions> options) =>
        {
            if (!options.Value.IsEnabled)
                return SignInPage.Render(context, "Single sign-on is not set up on this server.", null, StatusCodes.Status404NotFound);
            var returnUrl = ReturnUrl.LocalOrNull(context.Request.Query["returnUrl"].FirstOrDefault()) ?? "/";
            return Results.Challenge(new AuthenticationProperties { RedirectUri = "/login/continue?to=" + Uri.EscapeDataString(returnUrl) }, [Scheme]);
        }).AllowAnonymous().Public().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);
        return app;
    }

    private static void Configure(OpenIdConnectOptions o, OidcOptions settings)
    {
        var authority = new Uri(settings.Authority!);
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        // A redirect back (GET): the correlation and nonce cookies are SameSite=Lax, so they come
        // with it over plain http on a loopback test as over https; a cross-site form post would not carry them.
        o.ResponseMode = "query";
        o.Scope.Clear();
        foreach (var scope in settings.EffectiveScopes())
            o.Scope.Add(scope);
        o.CallbackPath = CallbackPath;
        o.SignInScheme = DashboardServiceCollectionExtensions.Scheme;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        // Metadata and keys over plain http only from a provider on this machine.
        o.RequireHttpsMetadata = !authority.IsLoopback;
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ProtocolValidator.RequireNonce = true;
        var validation = o.TokenValidationParameters;
        validation.ValidateIssuer = true;
        validation.ValidateAudience = true;
        validation.ValidateLifetime = true;
        validation.ValidateIssuerSigningKey = true;
        validation.RequireSignedTokens = true;
        validation.RequireExpirationTime = true;
        validation.NameClaimType = "name";
        o.Events = new OpenIdConnectEvents
        {
            OnTokenValidated = async context =>
            {
                try
                {
                    var user = await context.HttpContext.RequestServices.GetRequiredService<OidcUserLinker>().SignInAsync(context.Principal!, context.HttpContext.RequestAborted);
                    context.Principal = SignInPrincipals.ForUser(user, SignInMethods.Oidc);
                    context.Properties!.IsPersistent = true;
                }
                catch (OidcRefusal refusal)
                {
                    context.Fail(refusal);
                }
            },
            OnRemoteFailure = async context =>
            {
                context.HandleResponse();
                var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn));
                SignInFailed(log, context.Failure?.Message ?? "(no reason)");
                var message = context.Failure is OidcRefusal refusal
                    ? refusal.Message
                    : $"The sign-in with {settings.DisplayName} could not be verified, so it was refused. Try again; if it keeps failing, ask an admin to look at the server's log.";
                SecurityHeaders.Apply(context.Response);
                await SignInPage.Render(context.HttpContext, message, null, context.Failure is OidcRefusal ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized)
                    .ExecuteAsync(context.HttpContext);
            },
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A single sign-on was refused: {Reason}")]
    private static partial void SignInFailed(ILogger logger, string reason);
}
