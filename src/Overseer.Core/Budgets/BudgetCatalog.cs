using System.Globalization;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Budgets;

/// <summary>
/// Budgets as people set them: checked (scope, period, target, limits), authorized by the caller's
/// rule for the budget they would touch, stored, audited, and then the sessions a budget held
/// back in the queue are looked at again.
/// </summary>
public sealed class BudgetCatalog(IBudgetStore store, BudgetGuard guard, IReadModel readModel, IUserStore users, IAuditLog audit, SessionManager sessions, TimeProvider time)
{
    /// <summary>The largest limit (and overrun) in dollars a budget takes.</summary>
    public const decimal MaxUsd = 1_000_000m;

    /// <summary>Who may change a budget: null to go ahead, or the refusal (the web layer knows the caller's roles).</summary>
    public delegate ValueTask<BudgetOutcome?> Authorize(BudgetRecord budget);

    /// <summary>The budgets <paramref name="visible"/> lets the caller see, each with its spend now.</summary>
    public async Task<IReadOnlyList<BudgetStanding>> ListAsync(BudgetListQuery query, Func<BudgetRecord, bool> visible, CancellationToken cancellationToken)
    {
        var list = new List<BudgetStanding>();
        foreach (var budget in await store.ListAsync(query, cancellationToken))
        {
            if (visible(budget))
                list.Add(await guard.StandingAsync(budget, cancellationToken));
        }
        return list;
    }

    public async Task<BudgetOutcome> SetAsync(PutBudgetRequest request, ActedBy by, Authorize authorize, CancellationToken cancellationToken)
    {
        var scope = request.Scope?.Trim();
        if (scope is null || !BudgetScopes.All.Contains(scope))
            return BudgetOutcome.Invalid($"scope must be one of {string.Join(", ", BudgetScopes.All)}.", "scope");
        var period = request.Period?.Trim();
        if (scope == BudgetScopes.Session)
        {
            if (period is not (null or BudgetPeriods.None))
                return BudgetOutcome.Invalid("A session's budget counts over its whole life: leave period out (or \"none\").", "period");
            period = BudgetPeriods.None;
        }
        else if (period is not (BudgetPeriods.Day or BudgetPeriods.Month))
        {
            return BudgetOutcome.Invalid($"period must be \"day\" or \"month\" (UTC) for a {scope} budget.", "period");
        }
        if (LimitProblem(request.LimitUsd, "limitUsd") is { } limitProblem)
            return limitProblem;
        if (request.LimitTokens is <= 0)
            return BudgetOutcome.Invalid("limitTokens must be a positive whole number, or left out.", "limitTokens");
        var (target, problem) = await TargetAsync(scope, request.Target?.Trim(), cancellationToken);
        if (problem is not null)
            return problem;
        var now = time.GetUtcNow();
        var record = new BudgetRecord(Ids.New("b"), scope, target!.Value.Id, period, request.LimitUsd!.Value, request.LimitTokens,
            by.Name, now, by.Name, now, target.Value.Name, target.Value.ProjectId);
        if (await authorize(record) is { } refused)
            return refused;
        var (stored, created) = await store.UpsertAsync(record, cancellationToken);
        await audit.RecordAsync(new AuditRecord(now, created ? "budget.created" : "budget.changed", by.Name, by.UserId, by.TokenId, stored.Id,
            $"{Describe(stored)}: {BudgetStanding.Money(stored.LimitUsd)}{(stored.LimitTokens is { } tokens ? $" or {tokens.ToString(CultureInfo.InvariantCulture)} tokens" : "")}"),
            cancellationToken);
        // A higher limit may let sessions waiting in the queue start.
        sessions.BudgetsChanged();
        return new BudgetOutcome((await guard.StandingAsync(stored, cancellationToken)).ToDto(), created, created ? 201 : 200);
    }

    public async Task<BudgetOutcome> RemoveAsync(string id, ActedBy by, Authorize authorize, CancellationToken cancellationToken)
    {
        var budget = await store.FindAsync(id, cancellationToken);
        if (budget is null)
            return NotFound(id);
        if (await authorize(budget) is { } refused)
            return refused;
        if (!await store.RemoveAsync(id, cancellationToken))
            return NotFound(id);
        await audit.RecordAsync(new AuditRecord(time.GetUtcNow(), "budget.removed", by.Name, by.UserId, by.TokenId, id, Describe(budget)), cancellationToken);
        sessions.BudgetsChanged();
        return new BudgetOutcome(null, Status: 204);
    }

    public static BudgetOutcome NotFound(string id) => BudgetOutcome.Fail(404, ErrorCodes.BudgetNotFound, $"No budget has id '{id}'.");

    /// <summary>A limit (or an overrun) in dollars: positive, at most <see cref="MaxUsd"/>, whole billionths.</summary>
    public static BudgetOutcome? LimitProblem(decimal? usd, string field, bool required = true)
    {
        if (usd is null)
            return required ? BudgetOutcome.Invalid($"{field} is required: the limit in US dollars.", field) : null;
        if (usd <= 0 || usd > MaxUsd)
            return BudgetOutcome.Invalid($"{field} must be more than 0 and at most {MaxUsd.ToString("0", CultureInfo.InvariantCulture)} (US dollars).", field);
        if (decimal.Round(usd.Value, 9) != usd.Value)
            return BudgetOutcome.Invalid($"{field} may have at most 9 decimal places.", field);
        return null;
    }

    private async Task<((string Id, string? Name, string? ProjectId)? Target, BudgetOutcome? Problem)> TargetAsync(string scope, string? target, CancellationToken cancellationToken)
    {
        if (scope == BudgetScopes.Global)
            return string.IsNullOrEmpty(target) ? (("", null, null), null) : (null, BudgetOutcome.Invalid("A global budget has no target: leave target out.", "target"));
        if (string.IsNullOrEmpty(target))
            return (null, BudgetOutcome.Invalid($"target is required: the {scope} the budget is for.", "target"));
        switch (scope)
        {
            case BudgetScopes.Session:
                return await readModel.GetSessionAsync(target, cancellationToken) is { } session
                    ? ((session.Id, session.Prompt.Length > 80 ? session.Prompt[..80] : session.Prompt, session.ProjectId), null)
                    : (null, BudgetOutcome.Fail(400, ErrorCodes.SessionNotFound, $"No session has id '{target}'.", "target"));
            case BudgetScopes.Project:
                return await readModel.GetProjectAsync(target, cancellationToken) is { } project
                    ? ((project.Id, project.Name, project.Id), null)
                    : (null, BudgetOutcome.Fail(400, ErrorCodes.ProjectNotFound, $"No project has id '{target}'.", "target"));
            default:
                return (await users.FindAsync(target, cancellationToken) ?? await users.FindByNameAsync(target, cancellationToken)) is { } user
                    ? ((user.Id, user.Name, null), null)
                    : (null, BudgetOutcome.Fail(400, ErrorCodes.UserNotFound, $"No user has id or name '{target}'.", "target"));
        }
    }

    private static string Describe(BudgetRecord b) =>
        b.Scope == BudgetScopes.Global ? $"global {b.Period}" : $"{b.Scope} {b.TargetName ?? b.Target}{(b.Period == BudgetPeriods.None ? "" : " " + b.Period)}";
}
