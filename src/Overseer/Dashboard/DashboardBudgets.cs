using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Budgets;
using Overseer.Core.Sessions;
using Overseer.Dashboard.Components;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>
/// Budgets in the dashboard: the Budgets page (each budget with its spend, a form to set one), a
/// session's "Raise limit" and "Approve overrun", and the predicted cost the new-session and
/// template run forms show. The same catalog, rights and predictor as <c>/api/budgets</c>.
/// </summary>
public static class DashboardBudgets
{
    public static RouteGroupBuilder MapBudgetPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/budgets", async (HttpContext context, DashboardData data, BudgetCatalog catalog, BudgetRights rights, UserAdmin admin, CancellationToken ct) =>
        {
            var visible = await data.VisibleAsync(context.User, ct);
            var budgets = await catalog.ListAsync(new BudgetListQuery(), b => BudgetRights.CanSee(context.User, b, visible), ct);
            var isAdmin = Roles.AtLeast(context.User.Role(), Roles.Admin);
            var removable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var budget in budgets)
            {
                if (await rights.RefusalAsync(context.User, budget.Budget, BudgetCatalog.NotFound(budget.Budget.Id), ct) is null)
                    removable.Add(budget.Budget.Id);
            }
            return DashboardEndpoints.Page<BudgetsPage>(context, "", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(BudgetsPage.Budgets)] = budgets.Select(b => b.ToDto()).ToList(),
                [nameof(BudgetsPage.Projects)] = await data.ProjectsAsync(context.User, ct),
                [nameof(BudgetsPage.Users)] = isAdmin ? await admin.ListAsync(ct) : Array.Empty<UserDto>(),
                [nameof(BudgetsPage.Scopes)] = isAdmin ? BudgetScopes.All.Reverse().ToArray()
                    : Roles.AtLeast(context.User.Role(), Roles.Operator) ? [BudgetScopes.Session] : Array.Empty<string>(),
                [nameof(BudgetsPage.Removable)] = removable,
            });
        }).Requires(Roles.Viewer);
        // The forms' predicted cost, asked for again whenever their project changes.
        pages.MapGet("/ui/predict", async (HttpContext context, CostPredictor predictor, DashboardData data, CancellationToken ct) =>
        {
            var projectId = context.Request.Query["projectId"].FirstOrDefault();
            var templateId = context.Request.Query["templateId"].FirstOrDefault() is { Length: > 0 } t ? t : null;
            if (string.IsNullOrEmpty(projectId) || await data.RoleInAsync(context.User, projectId, ct) is null)
                return Results.Content("", "text/html");
            var prediction = await predictor.PredictAsync(projectId, templateId, await data.VisibleAsync(context.User, ct), ct);
            return new RazorComponentResult<CostPrediction>(new Dictionary<string, object?>
            {
                [nameof(CostPrediction.Prediction)] = prediction,
                [nameof(CostPrediction.TemplateChosen)] = templateId is not null,
            });
        }).Requires(Roles.Viewer);
        return pages;
    }

    public static RouteGroupBuilder MapBudgetActions(this RouteGroupBuilder ui)
    {
        // Which role a budget needs depends on its scope and project (BudgetRights): the least of them here.
        ui.MapPost("/budgets", SetAsync).Requires(Roles.Operator);
        ui.MapPost("/budgets/{id}/delete", async (string id, HttpContext context, BudgetCatalog catalog, BudgetRights rights) =>
        {
            var outcome = await catalog.RemoveAsync(id, context.User.ActedBy(),
                budget => rights.RefusalAsync(context.User, budget, BudgetCatalog.NotFound(id), context.RequestAborted), context.RequestAborted);
            if (!outcome.Succeeded)
                return DashboardActions.Toast(context, outcome.Message!, outcome.Status);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }).Requires(Roles.Operator);
        ui.MapPost("/sessions/{id}/approve-overrun", async (string id, HttpContext context, SessionManager manager) =>
        {
            if (!DashboardActions.TryMoney(DashboardActions.Field(await DashboardActions.FormAsync(context), "amountUsd"), out var amount))
                return DashboardActions.Toast(context, "The overrun is an amount in US dollars, such as 2.50, or empty for one more turn.", StatusCodes.Status400BadRequest);
            var result = await manager.ApproveOverrunAsync(id, amount, context.User.ActedBy());
            return result.Succeeded ? Results.NoContent() : DashboardActions.Toast(context, PlainErrors.Of(result.Code, result.Field, result.Message), Problems.StatusOf(result));
        }).Requires(Roles.Operator, ProjectFrom.Session);
        return ui;
    }

    /// <summary>
    /// Sets a budget from a form: the budgets page's, or a held session's "Raise limit" (which then
    /// resumes that session, as the person asked it to go on).
    /// </summary>
    private static async Task<IResult> SetAsync(HttpContext context, BudgetCatalog catalog, BudgetRights rights, SessionManager manager, DashboardData data)
    {
        var form = await DashboardActions.FormAsync(context);
        var scope = DashboardActions.Field(form, "scope");
        var target = scope switch
        {
            BudgetScopes.Project => DashboardActions.Field(form, "projectId"),
            BudgetScopes.User => DashboardActions.Field(form, "userId"),
            BudgetScopes.Session => DashboardActions.Field(form, "sessionId"),
            _ => null,
        };
        if (!DashboardActions.TryMoney(DashboardActions.Field(form, "limitUsd"), out var limit) || limit is null)
            return DashboardActions.Toast(context, "Give the limit in US dollars, such as 25 or 2.50.", StatusCodes.Status400BadRequest);
        long? tokens = null;
        if (DashboardActions.Field(form, "limitTokens") is { } tokenText)
        {
            if (!long.TryParse(tokenText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                return DashboardActions.Toast(context, "The token limit is a whole number of tokens, or empty for none.", StatusCodes.Status400BadRequest);
            tokens = parsed;
        }
        var period = scope == BudgetScopes.Session ? null : DashboardActions.Field(form, "period");
        var outcome = await catalog.SetAsync(new PutBudgetRequest(scope, target, period, limit, tokens), context.User.ActedBy(),
            budget => rights.RefusalAsync(context.User, budget,
                BudgetOutcome.Fail(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"There is no {budget.Scope} '{budget.Target}' you can see.", "target"), context.RequestAborted),
            context.RequestAborted);
        if (!outcome.Succeeded)
            return DashboardActions.Toast(context, outcome.Field == "target" ? $"Choose the {scope} the budget is for. {outcome.Message}" : outcome.Message!, outcome.Status);
        if (DashboardActions.Field(form, "resume") is not { } resume)
        {
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }
        if (await data.ReadModel.GetSessionAsync(resume, context.RequestAborted) is not { } session
            || !Roles.AtLeast(await data.RoleInAsync(context.User, session.ProjectId, context.RequestAborted), Roles.Operator))
            return DashboardActions.Toast(context, "The limit is raised; resuming that session needs the operator role in its project.", StatusCodes.Status403Forbidden);
        var resumed = session.Status == SessionStatus.Queued ? CommandResult.Done : await manager.ResumeAsync(resume, context.User.ActedBy());
        return resumed.Succeeded
            ? Results.NoContent()
            : DashboardActions.Toast(context, "The limit is raised, but the session did not resume: " + PlainErrors.Of(resumed.Code, resumed.Field, resumed.Message), Problems.StatusOf(resumed));
    }
}
