using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Auth;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>Sign-in with an API token (checked against the stored hashes), then a cookie session; sign-out.</summary>
public static class DashboardLogin
{
    public static IEndpointRouteBuilder MapDashboardLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context) =>
        {
            SecurityHeaders.Apply(context.Response);
            return Page(context, null, context.Request.Query["returnUrl"].FirstOrDefault() ?? context.Request.Query["ReturnUrl"].FirstOrDefault(), StatusCodes.Status200OK);
        }).AllowAnonymous();

        app.MapPost("/login", async (HttpContext context, IApiTokenStore tokens, ApiTokenCache cache) =>
        {
            SecurityHeaders.Apply(context.Response);
            if (!context.Request.HasFormContentType)
                return Page(context, "Send the sign-in form.", null, StatusCodes.Status400BadRequest);
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var returnUrl = form["returnUrl"].FirstOrDefault();
            if (!await DashboardCsrf.IsValidAsync(context))
                return Page(context, "The sign-in form expired. Please try again.", returnUrl, StatusCodes.Status400BadRequest);
            var token = form["token"].FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(token))
                return Page(context, "Enter an API token.", returnUrl, StatusCodes.Status400BadRequest);
            // The same lookup as the API's bearer check; the cookie carries the token's claims, never the token.
            var principal = await ApiTokenAuthenticationHandler.FindPrincipalAsync(token, tokens, cache, context.RequestAborted);
            if (principal is null)
                return Page(context, "That token is not valid.", returnUrl, StatusCodes.Status401Unauthorized);
            var identity = new ClaimsIdentity(principal.Claims, DashboardServiceCollectionExtensions.Scheme);
            await context.SignInAsync(DashboardServiceCollectionExtensions.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
            return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);

        app.MapPost("/logout", async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType || !await DashboardCsrf.IsValidAsync(context))
                return Results.BadRequest("The sign-out form expired; reload the page and try again.");
            await context.SignOutAsync(DashboardServiceCollectionExtensions.Scheme);
            return Results.Redirect("/login");
        }).RequireAuthorization(DashboardServiceCollectionExtensions.Policy);
        return app;
    }

    private static RazorComponentResult Page(HttpContext context, string? error, string? returnUrl, int status) =>
        new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(LoginPage.Csrf)] = DashboardCsrf.Token(context),
            [nameof(LoginPage.Error)] = error,
            [nameof(LoginPage.ReturnUrl)] = IsLocal(returnUrl) ? returnUrl : null,
        }) { StatusCode = status };

    // Only paths on this site: "//evil.example" and "/\evil.example" are other sites to a browser.
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
