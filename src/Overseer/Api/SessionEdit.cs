using System.Security.Claims;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Budgets;
using Overseer.Core.Sessions;

namespace Overseer.Api;

/// <summary>
/// A session edited through <c>PATCH /api/sessions/{id}</c> or the session page's form. The task's
/// own fields go through its actor; <c>budgetUsd</c> is the session's budget, set through the budget
/// catalog like any other (the same rights, the audit record, and a session a spent budget held goes
/// on once the limit is raised). Every field is checked before anything is stored.
/// </summary>
internal static class SessionEdit
{
    public sealed record Refusal(int Status, string Code, string Message, string? Field);

    public static async Task<Refusal?> ApplyAsync(string id, UpdateSessionRequest request, ClaimsPrincipal caller, SessionManager manager,
        BudgetCatalog budgets, BudgetRights rights, CancellationToken cancellationToken)
    {
        if (BudgetCatalog.LimitProblem(request.BudgetUsd, "budgetUsd", required: false) is { } limit)
            return new Refusal(limit.Status, limit.Code!, limit.Message!, limit.Field);
        var taskFields = request is not { Title: null, Description: null, Type: null, Priority: null, Prompt: null };
        if (taskFields || request.BudgetUsd is null)
        {
            var result = await manager.UpdateAsync(id, request, caller.ActedBy());
            if (!result.Succeeded)
                return new Refusal(Problems.StatusOf(result), result.Code ?? ErrorCodes.InvalidField, result.Message ?? "The session could not be changed.", result.Field);
        }
        if (request.BudgetUsd is not { } usd)
            return null;
        var outcome = await budgets.SetAsync(new PutBudgetRequest(BudgetScopes.Session, id, null, usd), caller.ActedBy(),
            budget => rights.RefusalAsync(caller, budget,
                BudgetOutcome.Fail(StatusCodes.Status404NotFound, ErrorCodes.SessionNotFound, $"No session has id '{id}'."), cancellationToken),
            cancellationToken);
        return outcome.Succeeded ? null : new Refusal(outcome.Status, outcome.Code!, outcome.Message!, outcome.Field is "limitUsd" ? "budgetUsd" : outcome.Field);
    }
}
