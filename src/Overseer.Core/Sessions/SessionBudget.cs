using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Budgets;

namespace Overseer.Core.Sessions;

/// <summary>
/// One session's side of its budgets, owned by its actor: the checks (through the shared guard)
/// and what a budget holds back — the turn it stopped before it began, whether the session is
/// paused for it (it then gives up its slot, as a session held on a person does), and whether it
/// was told it waits in the queue.
/// </summary>
internal sealed class SessionBudget(BudgetGuard guard, BudgetSubject subject)
{
    /// <summary>The state change's reason when a budget pauses a session: clients switch on it.</summary>
    public const string PauseReason = "budget";

    /// <summary>A turn a budget stopped before it began; sent once the session is resumed.</summary>
    public (string Text, ActedBy By)? HeldTurn { get; set; }

    /// <summary>Paused by a budget (not by a person): the session waits on a person and frees its slot.</summary>
    public bool Paused { get; set; }

    /// <summary>Held in the queue, and told so once (a later hold of the same wait adds no event).</summary>
    public bool ToldQueued { get; set; }

    public Task<BudgetStanding?> StopAsync() => guard.StopAsync(subject, CancellationToken.None);

    public Task<BudgetCheck> CheckAsync() => guard.CheckAsync(subject, CancellationToken.None);

    public Task<IReadOnlyList<BudgetStanding>> StandingsAsync() => guard.StandingsAsync(subject, CancellationToken.None);

    public NewEvent Reached(string type, BudgetStanding standing, bool queued = false) =>
        EventFactory.Create(subject.SessionId, type, EventFactory.SystemActor,
            new BudgetReachedData(standing.Budget.Id, standing.Budget.Scope, standing.Budget.Scope == BudgetScopes.Global ? null : standing.Budget.Target,
                standing.Budget.Period, standing.Window.Key.Length == 0 ? null : standing.Window.Key, standing.Budget.LimitUsd, standing.Spent.CostUsd,
                standing.Percent, standing.Budget.LimitTokens, standing.Budget.LimitTokens is null ? null : standing.Spent.Tokens, queued ? true : null),
            OverseerJson.Default.BudgetReachedData);

    /// <summary>Why a turn may not start: the budget named, and the two ways on.</summary>
    public static CommandResult Refusal(string sessionId, BudgetStanding standing) => new(CommandOutcome.InvalidState,
        $"{standing.Describe()} Raise the limit (PUT /api/budgets) or approve an overrun (POST /api/sessions/{sessionId}/budget/approve-overrun).",
        ErrorCodes.BudgetExceeded);
}
