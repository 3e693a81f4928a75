using Overseer.Contracts.Api;
using Overseer.Auth;
using System.Security.Claims;
using Overseer.Api;
using Overseer.Dashboard;
using Overseer.Dashboard.Components;
using Overseer.SignIn.Oidc;
using Overseer.SignIn.Passkeys;
using Overseer.Storage;

namespace Overseer.SignIn;

/// <summary>The signed-in person's own page: who they are, how they signed in, their passkeys and linked accounts.</summary>
internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder app)
    {
        // Everyone signed in has an account page and their own passkeys.
        var account = app.MapGroup("/account").RequireAuthorization(DashboardServiceCollectionExtensions.Policy).AddEndpointFilter(SecurityHeaders.Filter).Requires(Roles.Viewer);
        account.MapGet("", (HttpContext context, CancellationToken _) => PageAsync(context, null));
        account.MapPasskeyRegistration();
        return app;
    }

    public static async Task<IResult> PageAsync(HttpContext context, string? message, int status = StatusCodes.Status200OK)
    {
        var services = context.RequestServices;
        var ct = context.RequestAborted;
        var userId = context.User.UserId()!;
        var relyingParty = services.GetRequiredService<PasskeyRelyingParty>();
        var oidc = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OidcOptions>>().Value;
        return DashboardEndpoints.Page<AccountPage>(context, "", await services.GetRequiredService<DashboardData>().InboxCountAsync(context.User, ct), new()
        {
            [nameof(AccountPage.Name)] = context.User.Name(),
            [nameof(AccountPage.Role)] = context.User.Role(),
            [nameof(AccountPage.Method)] = context.User.FindFirstValue(SignInMethods.ClaimType) ?? SignInMethods.Token,
            [nameof(AccountPage.Passkeys)] = await services.GetRequiredService<IPasskeyStore>().ListAsync(userId, ct),
            [nameof(AccountPage.PasskeysAvailable)] = relyingParty.Current is not null,
            [nameof(AccountPage.Logins)] = await services.GetRequiredService<IExternalLoginStore>().ListAsync(userId, ct),
            [nameof(AccountPage.Provider)] = oidc.IsEnabled ? oidc.DisplayName : null,
            [nameof(AccountPage.Message)] = message,
        }).WithStatus(status);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult WithStatus(this Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult result, int status)
    {
        result.StatusCode = status;
        return result;
    }
}
