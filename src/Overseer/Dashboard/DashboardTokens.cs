using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard;

/// <summary>
/// The Tokens page: create a token (shown once, with a copy button), see yours (everyone's for
/// owners) with their last use and expiry, revoke one. The same rules as <c>/api/tokens</c>.
/// </summary>
public static class DashboardTokens
{
    public static RouteGroupBuilder MapTokensPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/tokens", async (HttpContext context, TokenManager tokens, DashboardData data, CancellationToken ct) =>
        {
            var all = context.Request.Query["all"].FirstOrDefault() == "true" && Roles.AtLeast(context.User.Role(), Roles.Owner);
            var (list, _) = await tokens.ListAsync(context.User, all, ct);
            return DashboardEndpoints.Page<TokensPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(TokensPage.Tokens)] = list ?? [],
                [nameof(TokensPage.All)] = all,
                [nameof(TokensPage.IsOwner)] = Roles.AtLeast(context.User.Role(), Roles.Owner),
                [nameof(TokensPage.CallerRole)] = context.User.Role(),
            });
        }).Requires(Roles.Viewer);
        return pages;
    }

    public static RouteGroupBuilder MapTokenActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/tokens", async (HttpContext context, TokenManager tokens) =>
        {
            var form = await DashboardActions.FormAsync(context);
            int? days = null;
            if (DashboardActions.Field(form, "expiresInDays") is { } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    return DashboardActions.Toast(context, "Expires in: a whole number of days, or empty for never.", StatusCodes.Status400BadRequest);
                days = parsed;
            }
            var request = new CreateTokenRequest(DashboardActions.Field(form, "name"), DashboardActions.Field(form, "role"), null, days);
            var (created, problem) = await tokens.CreateAsync(context.User, request, context.RequestAborted);
            if (problem is not null)
                return DashboardActions.Toast(context, problem.Message, problem.Status);
            var (list, _) = await tokens.ListAsync(context.User, all: false, context.RequestAborted);
            return new RazorComponentResult<TokenCreated>(new Dictionary<string, object?>
            {
                [nameof(TokenCreated.Created)] = created,
                [nameof(TokenCreated.Tokens)] = list ?? [],
                [nameof(TokenCreated.Csrf)] = DashboardCsrf.Token(context),
            });
        }).Requires(Roles.Viewer);
        ui.MapPost("/tokens/{id}/revoke", async (string id, HttpContext context, TokenManager tokens) =>
        {
            if (await tokens.RevokeAsync(context.User, id, context.RequestAborted) is { } problem)
                return DashboardActions.Toast(context, problem.Message, problem.Status);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Viewer);
        return ui;
    }
}
