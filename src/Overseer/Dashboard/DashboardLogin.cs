using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Auth;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>Sign-in with an API token (checked against the stored hashes), then a cookie session; sign-out.</summary>
public static class DashboardLogin
{
    private const long MaxFormBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapDashboardLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context) =>
        {
            SecurityHeaders.Apply(context.Response);
            return Page(context, null, context.Request.Query["returnUrl"].FirstOrDefault() ?? context.Request.Query["ReturnUrl"].FirstOrDefault(), StatusCodes.Status200OK);
        }).AllowAnonymous().Public();

        app.MapPost("/login", async (HttpContext context, TokenPrincipals principals) =>
        {
            SecurityHeaders.Apply(context.Response);
            if (!context.Request.HasFormContentType)
                return Page(context, "Send the sign-in form.", null, StatusCodes.Status400BadRequest);
            var (form, refused) = await ReadSmallFormAsync(context);
            if (form is null)
                return Page(context, refused == StatusCodes.Status413PayloadTooLarge ? "The sign-in form is larger than a sign-in can be." : "The sign-in form could not be read.", null, refused);
            var returnUrl = form["returnUrl"].FirstOrDefault();
            if (!await DashboardCsrf.IsValidAsync(context))
                return Page(context, "The sign-in form expired. Please try again.", returnUrl, StatusCodes.Status400BadRequest);
            var token = form["token"].FirstOrDefault()?.Trim();
            if (string.IsNullOrEmpty(token))
                return Page(context, "Enter an API token.", returnUrl, StatusCodes.Status400BadRequest);
            // The same lookup as the API's bearer check; the cookie carries the token's claims, never the token.
            var principal = await principals.FindAsync(token, context.RequestAborted);
            if (principal is null)
                return Page(context, "That token is not valid.", returnUrl, StatusCodes.Status401Unauthorized);
            var identity = new ClaimsIdentity(principal.Claims, DashboardServiceCollectionExtensions.Scheme);
            await context.SignInAsync(DashboardServiceCollectionExtensions.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
            return Results.Redirect(ReturnUrl.LocalOrNull(returnUrl) ?? "/");
        }).AllowAnonymous().Public().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);

        app.MapPost("/logout", async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType || !await DashboardCsrf.IsValidAsync(context))
                return Results.BadRequest("The sign-out form expired; reload the page and try again.");
            await context.SignOutAsync(DashboardServiceCollectionExtensions.Scheme);
            return Results.Redirect("/login");
        }).RequireAuthorization(DashboardServiceCollectionExtensions.Policy).Requires(Contracts.Api.Roles.Viewer);
        return app;
    }

    /// <summary>
    /// The form, or the status refusing it: 413 when it is larger than a token, a return path and
    /// the anti-forgery field can be (anyone may post here, so a big body must cost a 413, not
    /// memory or a 500), 400 when it cannot be read.
    /// </summary>
    private static async Task<(IFormCollection? Form, int Refused)> ReadSmallFormAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxFormBytes;
        try
        {
            return (await context.Request.ReadFormAsync(new FormOptions
            {
                ValueCountLimit = 8,
                ValueLengthLimit = (int)MaxFormBytes,
                KeyLengthLimit = 64,
                MultipartBodyLengthLimit = MaxFormBytes,
            }, context.RequestAborted), 0);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, StatusCodes.Status400BadRequest);
        }
    }

    private static RazorComponentResult Page(HttpContext context, string? error, string? returnUrl, int status) =>
        new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(LoginPage.Csrf)] = DashboardCsrf.Token(context),
            [nameof(LoginPage.Error)] = error,
            [nameof(LoginPage.ReturnUrl)] = ReturnUrl.LocalOrNull(returnUrl),
        }) { StatusCode = status };
}
