using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Overseer.Auth;
using Overseer.SignIn;

namespace Overseer.Dashboard;

/// <summary>
/// Sign-in with a name and password or with an API token (checked against the stored hashes),
/// then a cookie session; sign-out. Passkeys and single sign-on have their own routes
/// (<see cref="SignIn.Passkeys.PasskeySignInEndpoints"/>, <see cref="SignIn.Oidc.OidcSignIn"/>).
/// </summary>
public static class DashboardLogin
{
    private const long MaxFormBytes = 16 * 1024;
    private const string WrongPassword = "The name or password is wrong.";

    public static IEndpointRouteBuilder MapDashboardLogin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext context) =>
        {
            SecurityHeaders.Apply(context.Response);
            return SignInPage.Render(context, null, context.Request.Query["returnUrl"].FirstOrDefault() ?? context.Request.Query["ReturnUrl"].FirstOrDefault(), StatusCodes.Status200OK);
        }).AllowAnonymous().Public();

        app.MapPost("/login", async (HttpContext context, TokenPrincipals tokens, PasswordSignIn passwords, SignInThrottle throttle) =>
        {
            SecurityHeaders.Apply(context.Response);
            if (!context.Request.HasFormContentType)
                return SignInPage.Render(context, "Send the sign-in form.", null, StatusCodes.Status400BadRequest);
            var (form, refused) = await ReadSmallFormAsync(context);
            if (form is null)
                return SignInPage.Render(context, refused == StatusCodes.Status413PayloadTooLarge ? "The sign-in form is larger than a sign-in can be." : "The sign-in form could not be read.", null, refused);
            var returnUrl = form["returnUrl"].FirstOrDefault();
            if (!await DashboardCsrf.IsValidAsync(context))
                return SignInPage.Render(context, "The sign-in form expired. Please try again.", returnUrl, StatusCodes.Status400BadRequest);
            if (form.ContainsKey("token"))
                return await WithTokenAsync(context, tokens, form["token"].FirstOrDefault()?.Trim(), returnUrl);
            return await WithPasswordAsync(context, passwords, throttle, form["name"].FirstOrDefault()?.Trim(), form["password"].FirstOrDefault(), returnUrl);
        }).AllowAnonymous().Public().RequireRateLimiting(DashboardServiceCollectionExtensions.LoginRateLimit);

        // Where single sign-on lands: a page of ours that moves on, so the next request is one
        // this site started and carries the SameSite=Strict session cookie.
        app.MapGet("/login/continue", (HttpContext context) =>
        {
            SecurityHeaders.Apply(context.Response);
            var to = WebUtility.HtmlEncode(ReturnUrl.LocalOrNull(context.Request.Query["to"].FirstOrDefault()) ?? "/");
            return Results.Content(
                $"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Signing in · Overseer</title><script src="/static/continue.js?v={DashboardAssets.Version}" defer></script></head><body><p>Signed in. <a id="continue" href="{to}">Continue</a></p></body></html>""",
                "text/html; charset=utf-8");
        }).AllowAnonymous().Public();

        app.MapPost("/logout", async (HttpContext context) =>
        {
            if (!context.Request.HasFormContentType || !await DashboardCsrf.IsValidAsync(context))
                return Results.BadRequest("The sign-out form expired; reload the page and try again.");
            await context.SignOutAsync(DashboardServiceCollectionExtensions.Scheme);
            return Results.Redirect("/login");
        }).RequireAuthorization(DashboardServiceCollectionExtensions.Policy).Requires(Contracts.Api.Roles.Viewer);
        return app;
    }

    private static async Task<IResult> WithTokenAsync(HttpContext context, TokenPrincipals tokens, string? token, string? returnUrl)
    {
        if (string.IsNullOrEmpty(token))
            return SignInPage.Render(context, "Enter an API token.", returnUrl, StatusCodes.Status400BadRequest);
        // The same lookup as the API's bearer check; the cookie carries the token's claims, never the token.
        var principal = await tokens.FindAsync(token, context.RequestAborted);
        if (principal is null)
            return SignInPage.Render(context, "That token is not valid.", returnUrl, StatusCodes.Status401Unauthorized);
        return await SignInAsync(context, SignInPrincipals.ForToken(principal), returnUrl);
    }

    private static async Task<IResult> WithPasswordAsync(HttpContext context, PasswordSignIn passwords, SignInThrottle throttle, string? name, string? password, string? returnUrl)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password))
            return SignInPage.Render(context, "Enter your name and password.", returnUrl, StatusCodes.Status400BadRequest, name);
        if (throttle.TryAttempt(name) is { } wait)
        {
            await SignInPage.TooManyAsync(context, wait);
            return Results.Empty;
        }
        var user = await passwords.VerifyAsync(name, password, context.RequestAborted);
        if (user is null)
            return SignInPage.Render(context, WrongPassword, returnUrl, StatusCodes.Status401Unauthorized, name);
        return await SignInAsync(context, SignInPrincipals.ForUser(user, SignInMethods.Password), returnUrl);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, System.Security.Claims.ClaimsPrincipal principal, string? returnUrl)
    {
        await context.SignInAsync(DashboardServiceCollectionExtensions.Scheme, principal, new AuthenticationProperties { IsPersistent = true });
        return Results.Redirect(ReturnUrl.LocalOrNull(returnUrl) ?? "/");
    }

    /// <summary>
    /// The form, or the status refusing it: 413 when it is larger than a sign-in, a return path and
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
}
