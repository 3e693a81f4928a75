using Overseer.Core.Budgets;

namespace Overseer.Dashboard;

/// <summary>
/// A session a budget holds, as its page shows it: the budget that stops it (null once none does),
/// whether it waits in the queue rather than paused, and what the viewer may do about it.
/// </summary>
public sealed record BudgetHold(BudgetStanding? Stop, bool Queued, bool CanRaise, bool CanApprove);
