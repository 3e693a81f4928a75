using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Overseer.Dashboard;

public static class DashboardServiceCollectionExtensions
{
    public const string Scheme = "Dashboard";
    public const string Policy = "Dashboard";
    public const string LoginRateLimit = "dashboard-login";

    /// <summary>
    /// The web dashboard: a cookie session started by signing in (see <see cref="SignIn.SignInServiceCollectionExtensions"/>), anti-forgery
    /// on every post, and the renderer that turns events into HTML fragments.
    /// </summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = DashboardCsrf.HeaderName;
            o.Cookie.Name = "overseer.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "overseer.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.Events = new CookieAuthenticationEvents
            {
                // Every request's session is checked against the store: a disabled user or a revoked token ends it at once.
                OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<SignIn.CookieSessionValidator>().ValidateAsync(context),
                // htmx follows a redirect inside the fragment it asked for; send the whole page to sign-in instead.
                OnRedirectToLogin = context =>
                {
                    if (context.Request.Headers.ContainsKey("HX-Request") || context.Request.Path.StartsWithSegments("/ui/stream"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers["HX-Redirect"] = "/login";
                        return Task.CompletedTask;
                    }
                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                },
            };
        });
        // The cookie names a session kept on the server, so signing out revokes it for good.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardSessionStore>();
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<DashboardSessionStore>((o, store) => o.SessionStore = store);
        services.AddAuthorizationBuilder().AddPolicy(Policy, new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.LoginAttemptsPerMinute is >= 1 and <= 10_000, "Dashboard:LoginAttemptsPerMinute must be between 1 and 10000.")
            .ValidateOnStart();
        // The sign-in limit itself (LoginRateLimit) is registered by AddSignIn, with its 429 page.
        services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<DashboardData>();
        services.AddSingleton<OpsData>();
        services.AddSingleton<FragmentRenderer>();
        services.AddSingleton<MarkdownRenderer>();
        return services;
    }
}
