using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

// What a person changes about a session that has started (seed 003's tasks): its title,
// description, type and priority, and deleting it. Drafts have no host; the manager edits,
// starts and deletes those in the store.
public sealed partial class SessionHost
{
    /// <summary>
    /// Stores the change (<c>session.updated</c>) unless the session has ended; a new priority also
    /// moves it in the queue. The prompt is a draft's only: a started agent has read it.
    /// </summary>
    public Task<CommandResult> UpdateAsync(SessionUpdatedData change, ActedBy by) => Post(async () =>
    {
        if (_status.IsTerminal())
            return CommandResult.InvalidState($"The session has ended ({_status.ToWire()}); it can no longer be changed.");
        if (change.Changed.Contains("prompt"))
        {
            return new CommandResult(CommandOutcome.InvalidState,
                $"prompt can be changed only while the session is a draft; it is {_status.ToWire()} and its agent has the prompt already. Send a message instead.",
                ErrorCodes.InvalidState, "prompt");
        }
        await AppendAsync(EventFactory.Create(Id, EventTypes.SessionUpdated, by.Name, change with { By = by.Name, ByUserId = by.UserId, TokenId = by.TokenId },
            OverseerJson.Default.SessionUpdatedData));
        if (change.Priority is { } priority)
        {
            _priority = priority;
            if (_status == SessionStatus.Queued)
                _scheduler.Reprioritize(Id, priority);
        }
        return CommandResult.Done;
    });

    /// <summary>
    /// Deletes the session: a live one is cancelled first, exactly as cancel does (its agent is
    /// stopped, what it asked is cancelled), then it is marked deleted and its host ends.
    /// </summary>
    public Task<CommandResult> DeleteAsync(ActedBy by) => Post(async () =>
    {
        if (_status == SessionStatus.Deleted)
            return CommandResult.NotFound($"No session has id '{Id}'.", ErrorCodes.SessionNotFound);
        _scheduler.Remove(Id);
        _parked = null;
        await StopAgentAsync();
        await CancelAllPendingAsync("the session was deleted");
        if (SessionStateMachine.IsAllowed(_status, SessionStatus.Cancelled))
            await TransitionAsync(SessionStatus.Cancelled, by, "cancelled by " + by + " to delete it");
        await TransitionAsync(SessionStatus.Deleted, by, "deleted by " + by);
        Finish();
        return CommandResult.Done;
    });
}
