using System.Security.Claims;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Budgets;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Who may see and change which budget. A cap is only worth something if those it caps cannot lift
/// it: the server's and a user's budgets, and a project's, are for admins (memberships give at most
/// the operator role); a session's budget is for the operators of its project, who may also approve
/// an overrun (recorded with their name). Everyone sees the server's budgets, their own, and those of
/// the projects they see. The API and the dashboard both ask here.
/// </summary>
public sealed class BudgetRights(ProjectAccess access)
{
    /// <summary>Why the caller may not set or remove <paramref name="budget"/>, or null when they may; <paramref name="hidden"/> when they may not even see it.</summary>
    public async ValueTask<BudgetOutcome?> RefusalAsync(ClaimsPrincipal caller, BudgetRecord budget, BudgetOutcome hidden, CancellationToken cancellationToken)
    {
        if (budget.Scope is BudgetScopes.Global or BudgetScopes.User)
            return Roles.AtLeast(caller.Role(), Roles.Admin) ? null : Forbidden($"{(budget.Scope == BudgetScopes.Global ? "The server's" : "A user's")} budget needs the admin role; you have the {caller.Role()} role.");
        var role = budget.ProjectId is { } project ? await access.RoleInAsync(caller, project, cancellationToken) : null;
        if (role is null)
            return hidden;
        var required = budget.Scope == BudgetScopes.Project ? Roles.Admin : Roles.Operator;
        return Roles.AtLeast(role, required) ? null : Forbidden($"A {budget.Scope}'s budget needs the {required} role in its project; you have the {role} role.");
    }

    /// <summary>Whether a budget is the caller's to see, given the projects they see (<paramref name="visible"/>, null for all).</summary>
    public static bool CanSee(ClaimsPrincipal caller, BudgetRecord budget, IReadOnlyCollection<string>? visible) => budget.Scope switch
    {
        BudgetScopes.Global => true,
        BudgetScopes.User => visible is null || budget.Target == caller.UserId(),
        _ => visible is null || (budget.ProjectId is { } project && visible.Contains(project)),
    };

    private static BudgetOutcome Forbidden(string message) => BudgetOutcome.Fail(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, message);
}
