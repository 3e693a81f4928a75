namespace Overseer.Contracts.Events;

/// <summary>
/// <c>budget.warning</c> (80% of a budget spent, once per budget, period and limit) and
/// <c>budget.exceeded</c> (100%: the session pauses at its turn boundary, or a queued one waits).
/// <paramref name="PeriodKey"/> names the period (<c>2026-12-01</c>, <c>2026-12</c>); none for a session's budget.
/// </summary>
public sealed record BudgetReachedData(
    string BudgetId,
    string Scope,
    string? Target,
    string Period,
    string? PeriodKey,
    decimal LimitUsd,
    decimal SpentUsd,
    int Percent,
    long? LimitTokens = null,
    long? SpentTokens = null,
    bool? Queued = null);

/// <summary>
/// <c>budget.overrun_approved</c>: a person let the session spend past its budgets until its own
/// cost passes <paramref name="UntilUsd"/> (its cost then plus <paramref name="AmountUsd"/>, or its
/// cost then: one more turn). <paramref name="Reason"/> says it in words (the audit shows it).
/// </summary>
public sealed record BudgetOverrunApprovedData(string BudgetId, decimal? AmountUsd, decimal UntilUsd, string Reason, string By, string? ByUserId = null, string? TokenId = null);
