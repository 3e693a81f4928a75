using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Budgets;
using Overseer.Core.Sessions;
using static Overseer.Dashboard.DashboardActions;

namespace Overseer.Dashboard;

/// <summary>
/// The session page's task buttons (seed 003): edit (the prompt while a draft), start a draft, and
/// delete. Each calls the same engine method as the JSON API; a refusal says why in the toast area.
/// </summary>
public static class DashboardTaskActions
{
    public static RouteGroupBuilder MapSessionTaskActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/sessions/{id}/edit", async (string id, HttpContext context, SessionManager manager, BudgetCatalog budgets, BudgetRights rights) =>
        {
            var form = await FormAsync(context);
            // A form sends every field: an empty description or type clears it; a field the form
            // does not show (the prompt of a started session) is not sent and stays as it is.
            var request = new UpdateSessionRequest(
                form["title"].FirstOrDefault(),
                form["description"].FirstOrDefault(),
                form["type"].FirstOrDefault(),
                int.TryParse(form["priority"].FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var priority) ? priority : null,
                form.ContainsKey("prompt") ? form["prompt"].FirstOrDefault() : null);
            if (form["priority"].FirstOrDefault() is { Length: > 0 } typed && request.Priority is null)
                return Toast(context, $"Priority must be a whole number from -100 to 100, not '{typed}'.", StatusCodes.Status400BadRequest);
            // An empty budget leaves the session's budget as it is.
            if (!TryMoney(Field(form, "budgetUsd"), out var budget))
                return Toast(context, "The budget is an amount in US dollars, such as 5 or 2.50, or empty to leave it as it is.", StatusCodes.Status400BadRequest);
            var refused = await SessionEdit.ApplyAsync(id, request with { BudgetUsd = budget }, context.User, manager, budgets, rights, context.RequestAborted);
            if (refused is not null)
                return Toast(context, PlainErrors.Of(refused.Code, refused.Field, refused.Message), refused.Status);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Operator, ProjectFrom.Session);
        ui.MapPost("/sessions/{id}/start", async (string id, HttpContext context, SessionManager manager) =>
            Refreshed(context, await manager.StartAsync(id, context.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        ui.MapPost("/sessions/{id}/delete", async (string id, HttpContext context, SessionManager manager) =>
        {
            var result = await manager.DeleteAsync(id, context.User.ActedBy());
            if (!result.Succeeded)
                return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Message), Problems.StatusOf(result));
            // Its page is gone with it: back to the board.
            context.Response.Headers["HX-Redirect"] = "/";
            return Results.NoContent();
        }).Requires(Roles.Operator, ProjectFrom.Session);
        return ui;
    }

    /// <summary>The page reloads to show the change (a started draft's page becomes a live session's).</summary>
    private static IResult Refreshed(HttpContext context, CommandResult result)
    {
        if (!result.Succeeded)
            return Toast(context, PlainErrors.Of(result.Code, result.Field, result.Message), Problems.StatusOf(result));
        context.Response.Headers["HX-Refresh"] = "true";
        return Results.NoContent();
    }
}
