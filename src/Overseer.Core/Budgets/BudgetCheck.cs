namespace Overseer.Core.Budgets;

/// <summary>
/// A session's budgets after its usage changed: those that just crossed 80% (each reported once),
/// and the one that stops it (spent, and no approved overrun lets it go on), if any.
/// </summary>
public sealed record BudgetCheck(IReadOnlyList<BudgetStanding> Warnings, BudgetStanding? Stop);
