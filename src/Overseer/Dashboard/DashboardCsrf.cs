using Microsoft.AspNetCore.Antiforgery;

namespace Overseer.Dashboard;

/// <summary>Anti-forgery for the dashboard: a token in every page, checked on every post.</summary>
public static class DashboardCsrf
{
    public const string HeaderName = "X-CSRF-TOKEN";
    public const string FormField = "__RequestVerificationToken";

    /// <summary>The request token for this page; htmx sends it as a header, plain forms as a field.</summary>
    public static string Token(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;

    public static async Task<bool> IsValidAsync(HttpContext context)
    {
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }
}
