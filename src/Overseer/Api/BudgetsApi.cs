using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Budgets;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary>
/// Budgets: list them with their spend, set one (upsert by scope, target and period), remove one;
/// approve a stopped session's overrun; and predict what a new session will cost.
/// </summary>
public static class BudgetsApi
{
    public static RouteGroupBuilder MapBudgetsApi(this RouteGroupBuilder api)
    {
        var budgets = api.MapGroup("/budgets");
        budgets.MapGet("", ListAsync).Requires(Roles.Viewer);
        // Which role a budget needs depends on its scope and project (BudgetRights): the least of them here, the rest in the handler.
        budgets.MapPut("", PutAsync).Requires(Roles.Operator);
        budgets.MapDelete("/{id}", DeleteAsync).Requires(Roles.Operator);
        api.MapGet("/sessions/predict", PredictAsync).Requires(Roles.Viewer);
        api.MapPost("/sessions/{id}/budget/approve-overrun", ApproveOverrunAsync).Requires(Roles.Operator, ProjectFrom.Session);
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext context, BudgetCatalog catalog)
    {
        var scope = context.Request.Query["scope"].FirstOrDefault() is { Length: > 0 } s ? s : null;
        if (scope is not null && !BudgetScopes.All.Contains(scope))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'scope' must be one of {string.Join(", ", BudgetScopes.All)}.", "scope");
        var projectId = context.Request.Query["projectId"].FirstOrDefault() is { Length: > 0 } p ? p : null;
        var visible = await Visibility.ProjectsAsync(context);
        var items = await catalog.ListAsync(new BudgetListQuery(scope, projectId), b => BudgetRights.CanSee(context.User, b, visible), context.RequestAborted);
        return TypedResults.Ok(new ListResponse<BudgetDto>([.. items.Select(b => b.ToDto())], null));
    }

    private static async Task<IResult> PutAsync(HttpContext context, BudgetCatalog catalog, BudgetRights rights)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.PutBudgetRequest);
        if (problem is not null)
            return problem;
        var outcome = await catalog.SetAsync(request!, context.User.ActedBy(), budget => rights.RefusalAsync(context.User, budget,
            // A project or session the caller cannot see answers as one that does not exist.
            BudgetOutcome.Fail(StatusCodes.Status400BadRequest, budget.Scope == BudgetScopes.Project ? ErrorCodes.ProjectNotFound : ErrorCodes.SessionNotFound,
                $"No {budget.Scope} has id '{budget.Target}'.", "target"), context.RequestAborted), context.RequestAborted);
        if (!outcome.Succeeded)
            return Failed(outcome);
        return outcome.Created ? TypedResults.Created("/api/budgets", outcome.Budget) : TypedResults.Ok(outcome.Budget);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, BudgetCatalog catalog, BudgetRights rights)
    {
        var outcome = await catalog.RemoveAsync(id, context.User.ActedBy(),
            budget => rights.RefusalAsync(context.User, budget, BudgetCatalog.NotFound(id), context.RequestAborted), context.RequestAborted);
        return outcome.Succeeded ? TypedResults.NoContent() : Failed(outcome);
    }

    private static async Task<IResult> PredictAsync(HttpContext context, CostPredictor predictor, TemplateCatalog templates)
    {
        var projectId = context.Request.Query["projectId"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(projectId))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "Query parameter 'projectId' is required: the project the session would run in.", "projectId");
        if (await Visibility.CheckProjectAsync(context, projectId, Roles.Viewer) is { } refused)
            return refused.ToResult();
        var templateId = context.Request.Query["templateId"].FirstOrDefault() is { Length: > 0 } t ? t : null;
        if (templateId is not null && await templates.FindAsync(templateId, context.RequestAborted) is null)
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.TemplateNotFound, $"No template has id '{templateId}'.", "templateId");
        return TypedResults.Ok(await predictor.PredictAsync(projectId, templateId, await Visibility.ProjectsAsync(context), context.RequestAborted));
    }

    private static async Task<IResult> ApproveOverrunAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.ApproveOverrunRequest, allowEmpty: true);
        if (problem is not null)
            return problem;
        var result = await manager.ApproveOverrunAsync(id, request?.AmountUsd, context.User.ActedBy());
        if (!result.Succeeded)
            return Problems.From(result);
        return TypedResults.Accepted($"/api/sessions/{id}", await readModel.GetSessionAsync(id, context.RequestAborted));
    }

    private static IResult Failed(BudgetOutcome outcome) => Problems.Result(outcome.Status, outcome.Code!, outcome.Message!, outcome.Field);
}
