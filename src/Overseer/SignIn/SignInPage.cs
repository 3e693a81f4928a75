using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Overseer.Dashboard;
using Overseer.Dashboard.Components;
using Overseer.SignIn.Oidc;
using Overseer.SignIn.Passkeys;

namespace Overseer.SignIn;

/// <summary>The sign-in page with what this server offers: password, passkey, single sign-on, API token.</summary>
internal static class SignInPage
{
    public static RazorComponentResult Render(HttpContext context, string? error, string? returnUrl, int status, string? name = null)
    {
        var services = context.RequestServices;
        var oidc = services.GetRequiredService<IOptions<OidcOptions>>().Value;
        return new RazorComponentResult<LoginPage>(new Dictionary<string, object?>
        {
            [nameof(LoginPage.Csrf)] = DashboardCsrf.Token(context),
            [nameof(LoginPage.Error)] = error,
            [nameof(LoginPage.ReturnUrl)] = ReturnUrl.LocalOrNull(returnUrl),
            [nameof(LoginPage.Name)] = name,
            [nameof(LoginPage.Oidc)] = oidc.IsEnabled ? oidc.DisplayName : null,
            [nameof(LoginPage.Passkeys)] = services.GetRequiredService<PasskeyRelyingParty>().Current is not null,
        }) { StatusCode = status };
    }

    /// <summary>A refused sign-in because of the rate limits: 429, with when to try again.</summary>
    public static async Task TooManyAsync(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds);
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SecurityHeaders.Apply(context.Response);
        var message = $"Too many sign-in attempts. Try again in {seconds} second{(seconds == 1 ? "" : "s")}.";
        if (context.Request.Path.StartsWithSegments("/login/passkey"))
        {
            await Api.Problems.Write(context, StatusCodes.Status429TooManyRequests, Contracts.Api.ErrorCodes.RateLimited, message);
            return;
        }
        await Render(context, message, context.Request.Query["returnUrl"].FirstOrDefault(), StatusCodes.Status429TooManyRequests).ExecuteAsync(context);
    }
}
