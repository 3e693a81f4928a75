namespace Overseer.Contracts.Api;

/// <summary>
/// Sets a budget, replacing the one with the same scope, target and period. <c>target</c> is the
/// session id, project id, or user id or name; none for <c>global</c>. <c>period</c> is
/// <c>none</c> for a session, <c>day</c> or <c>month</c> (UTC) for the others.
/// </summary>
public sealed record PutBudgetRequest(string? Scope, string? Target, string? Period, decimal? LimitUsd, long? LimitTokens = null);

/// <summary>
/// A budget with what has been spent in its current period: <c>percent</c> of the limit (the
/// higher of dollars and tokens), and <c>state</c> <c>ok</c>, <c>warning</c> (80% or more) or
/// <c>exceeded</c> (100% or more: sessions it covers pause at their next turn boundary).
/// </summary>
public sealed record BudgetDto(
    string Id,
    string Scope,
    string? Target,
    string? TargetName,
    string Period,
    decimal LimitUsd,
    long? LimitTokens,
    decimal SpentUsd,
    long SpentTokens,
    int Percent,
    string State,
    DateTimeOffset? PeriodStart,
    DateTimeOffset? PeriodEnd,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt);

/// <summary>
/// Lets a session stopped by a budget go on: up to <c>amountUsd</c> more, or without an amount
/// until its next usage report (one more turn).
/// </summary>
public sealed record ApproveOverrunRequest(decimal? AmountUsd);

/// <summary>
/// What a new session is likely to cost, from the latest finished runs of the same template
/// (<c>basis</c> <c>template</c>), else of the same project (<c>project</c>); <c>none</c> when there
/// is no history, and then no figures.
/// </summary>
public sealed record CostPredictionDto(string Basis, int Runs, decimal? MedianUsd, decimal? P90Usd);
