using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Budgets;

namespace Overseer.Core.Sessions;

// Budgets at the session's turn boundaries: after usage is recorded (80% warns, 100% pauses the
// session before the agent's next step), before a turn begins, and before a queued session starts.
// The state lives in SessionBudget; these are the actor's steps.
public sealed partial class SessionHost
{
    /// <summary>
    /// After the agent reported usage: store a warning for each budget that crossed 80%, and pause
    /// the session if one is spent. The agent is held where it is (between the steps of its turn, or
    /// at its end), and the turn's end, if it comes, is applied on resume.
    /// </summary>
    private async Task EnforceBudgetsAsync()
    {
        if (_budget is null)
            return;
        var check = await _budget.CheckAsync();
        if (check.Warnings.Count > 0)
            await _store.AppendAsync([.. check.Warnings.Select(w => _budget.Reached(EventTypes.BudgetWarning, w))]);
        if (check.Stop is { } stop && _status is SessionStatus.Running or SessionStatus.Waiting)
        {
            if (_connection is not null)
                await _connection.PauseAsync(CancellationToken.None);
            await PauseForBudgetAsync(stop);
        }
    }

    /// <summary>
    /// A turn about to begin while a budget is spent (a continuation the session starts itself,
    /// such as the next phase, or a turn that raced a budget running out): the session pauses and
    /// keeps the turn's message for when it is resumed. False when the turn may go ahead.
    /// </summary>
    private async Task<bool> HoldTurnForBudgetAsync(string text, ActedBy by)
    {
        if (_budget is null || _status is not (SessionStatus.Running or SessionStatus.Waiting) || await _budget.StopAsync() is not { } stop)
            return false;
        _budget.HeldTurn = (text, by);
        await PauseForBudgetAsync(stop);
        return true;
    }

    private async Task PauseForBudgetAsync(BudgetStanding stop)
    {
        // Set first: a session paused by a budget waits on a person, and gives up its slot with the change.
        _budget!.Paused = true;
        await TransitionAsync(_budget.Reached(EventTypes.BudgetExceeded, stop), SessionStatus.Paused, EventFactory.SystemActor, SessionBudget.PauseReason);
    }

    /// <summary>Why a person may not start a turn now (resume, a message): a spent budget that no approved overrun covers; null when they may.</summary>
    private async Task<CommandResult?> BudgetRefusalAsync() =>
        _budget is not null && await _budget.StopAsync() is { } stop ? SessionBudget.Refusal(Id, stop) : null;

    /// <summary>
    /// The queue admitted the session, but a budget that covers it is spent: it gives the slot back
    /// and waits, off the queue, until budgets change, an overrun is approved or the next UTC day.
    /// </summary>
    private async Task<bool> HeldInQueueByBudgetAsync()
    {
        if (_budget is null)
            return false;
        var checkedAt = _holds.Version;
        if (await _budget.StopAsync() is not { } stop)
            return false;
        // Off the queue and out of its slot first: the next session starts while this one is told.
        _holds.Hold(Id, _info.Priority, checkedAt);
        _scheduler.MarkInactive(Id);
        if (!_budget.ToldQueued)
        {
            _budget.ToldQueued = true;
            await AppendAsync(_budget.Reached(EventTypes.BudgetExceeded, stop, queued: true));
        }
        return true;
    }

    /// <summary>
    /// A person lets the session spend past its budgets: up to <paramref name="amountUsd"/> more, or
    /// without an amount until its next usage report. A session paused (or interrupted) goes on at once;
    /// one held in the queue goes back in line; an idle one takes its next message.
    /// </summary>
    public Task<CommandResult> ApproveOverrunAsync(decimal? amountUsd, ActedBy by) => Post(async () =>
    {
        if (_budget is null)
            return CommandResult.InvalidState("This server keeps no budgets.");
        if (_status.IsTerminal())
            return CommandResult.InvalidState($"The session has ended ({_status.ToWire()}).");
        var spent = (await _budget.StandingsAsync()).FirstOrDefault(s => s.Exceeded);
        if (spent is null)
            return CommandResult.InvalidState("No budget that covers this session is spent: there is no overrun to approve.");
        var what = amountUsd is { } amount ? $"{BudgetStanding.Money(amount)} more" : "one more turn";
        var approved = EventFactory.Create(Id, EventTypes.BudgetOverrunApproved, by.Name,
            new BudgetOverrunApprovedData(spent.Budget.Id, amountUsd, _totalUsage.CostUsd + (amountUsd ?? 0m), $"{what} past {spent.Name}", by.Name, by.UserId, by.TokenId),
            OverseerJson.Default.BudgetOverrunApprovedData);
        await AppendAsync(approved);
        switch (_status)
        {
            case SessionStatus.Paused or SessionStatus.Interrupted:
                await ResumeCoreAsync(by);
                break;
            case SessionStatus.Queued:
                _budget.ToldQueued = false;
                _holds.Release(Id);
                break;
        }
        return CommandResult.Done;
    });
}
