namespace Overseer.Storage;

/// <summary>
/// Budgets, and the spend they are measured against: every figure comes from the usage already
/// recorded (the projections keep spend by UTC day and month, project and starter in step with the
/// log), so the check at each turn boundary is a few indexed reads on one connection.
/// </summary>
public interface IBudgetStore
{
    /// <summary>Budgets, global first; a session's only while the session lives unless the query asks for ended ones too.</summary>
    Task<IReadOnlyList<BudgetRecord>> ListAsync(BudgetListQuery query, CancellationToken cancellationToken = default);

    Task<BudgetRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The budgets that cover a session, narrowest first: its own, its project's, its starter's and the global ones.</summary>
    Task<IReadOnlyList<BudgetRecord>> CoveringAsync(string? sessionId, string projectId, string? userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The budgets that cover a session with what each has spent in the period <paramref name="periodKey"/>
    /// names for its period (see <see cref="SpendAsync"/>), read together.
    /// </summary>
    Task<IReadOnlyList<(BudgetRecord Budget, BudgetSpend Spent)>> CoveringWithSpendAsync(string? sessionId, string projectId, string? userId,
        Func<string, string> periodKey, CancellationToken cancellationToken = default);

    /// <summary>Creates the budget, or replaces the limits of the one with the same scope, target and period (which keeps its id and creation).</summary>
    Task<(BudgetRecord Budget, bool Created)> UpsertAsync(BudgetRecord budget, CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// What the scope's target spent in the UTC day (<c>2026-12-01</c>) or month (<c>2026-12</c>)
    /// <paramref name="periodKey"/> names; a session's whole spend (the key is ignored).
    /// </summary>
    Task<BudgetSpend> SpendAsync(string scope, string target, string periodKey, CancellationToken cancellationToken = default);

    /// <summary>Whether the 80% warning of this budget, period and limit has been stored already.</summary>
    Task<bool> WarnedAsync(string budgetId, string periodKey, string limitKey, CancellationToken cancellationToken = default);

    /// <summary>The overrun a person approved for the session (the cost up to which its budgets do not stop it), with its cost now; null when none.</summary>
    Task<BudgetOverrun?> OverrunAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The costs of the latest finished runs (completed or idle), newest first: of the template when
    /// <paramref name="templateId"/> is set, else of the project; only in <paramref name="projects"/> when given.
    /// </summary>
    Task<IReadOnlyList<decimal>> RecentCostsAsync(string? templateId, string? projectId, IReadOnlyCollection<string>? projects, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// A budget. <paramref name="Target"/> is the session, project or user id ("" for global);
/// <paramref name="TargetName"/> the project's or user's name and <paramref name="ProjectId"/> the
/// project it belongs to (a session's, a project's own), when listed.
/// </summary>
public sealed record BudgetRecord(
    string Id,
    string Scope,
    string Target,
    string Period,
    decimal LimitUsd,
    long? LimitTokens,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt,
    string? TargetName = null,
    string? ProjectId = null);

/// <summary>Dollars, and tokens (input plus output), spent.</summary>
public sealed record BudgetSpend(decimal CostUsd, long Tokens)
{
    public static readonly BudgetSpend None = new(0m, 0);
}

/// <param name="UntilUsd">The session's budgets do not stop it while its own cost is at most this.</param>
public sealed record BudgetOverrun(decimal UntilUsd, decimal SessionCostUsd);

/// <param name="Scope">Only budgets of this scope (with it, a session's are listed even after the session ended).</param>
/// <param name="ProjectId">Only budgets of this project and of its sessions.</param>
public sealed record BudgetListQuery(string? Scope = null, string? ProjectId = null);
