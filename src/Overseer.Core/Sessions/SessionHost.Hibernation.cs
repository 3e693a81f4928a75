using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

// Hibernation: an agent with nothing to do (its session idle, or held on a person after its turn)
// has its process stopped after Sessions:HibernateAfter, or on demand. The conversation is kept
// by the runtime (the CLI's own transcript), so the next message, answer or decision resumes it
// (--resume, then the message) as if it had never stopped. With nothing left in memory that the
// store does not hold, the host itself goes too; the next command restores it from the store.
public sealed partial class SessionHost
{
    private ITimer? _hibernateTimer;
    private bool _hibernated;
    private volatile bool _dropped;

    /// <summary>The host ended because its session hibernated (not because the session ended): the session lives on in the store.</summary>
    internal bool Dropped => _dropped;

    /// <summary>The agent has nothing to do: no turn is under way and nothing it waits on in a turn is open.</summary>
    private bool AgentIdle => !_turnActive && _heldTurnEnd is null
        && (_status == SessionStatus.Idle || (_status == SessionStatus.Waiting && _pending.BlockingCount == 0));

    public Task<CommandResult> HibernateAsync(ActedBy by) => Post(async () =>
    {
        if (!AgentIdle)
            return CommandResult.InvalidState($"Only an idle session, or one held on a person after its turn, can hibernate; it is {_status.ToWire()}{(_turnActive ? " in the middle of a turn" : "")}.");
        if (!_info.Runtime.CanHibernate)
            return CommandResult.InvalidState($"The {_info.Runtime.Name} runtime cannot hibernate: it cannot continue a conversation in a new process.");
        await HibernateCoreAsync(by, "hibernated by " + by);
        return CommandResult.Done;
    });

    /// <summary>
    /// An approval left open past Sessions:HibernateAfter (the person is away): deny it and let the
    /// process go, instead of holding its memory and its slot for a decision nobody is making. The
    /// process is stopped before it hears the denial, so it starts nothing new; the agent is told
    /// with its next message, which wakes it. Whatever else the turn waited on goes with it.
    /// </summary>
    public Task<CommandResult> DenyAndHibernateAsync(string approvalId, string reason, ActedBy by) => Post(async () =>
    {
        if (_status != SessionStatus.Waiting)
            return CommandResult.InvalidState($"Deny and hibernate needs the session waiting on the approval; it is {_status.ToWire()}.");
        if (!_info.Runtime.CanHibernate)
            return CommandResult.InvalidState($"The {_info.Runtime.Name} runtime cannot hibernate: deny the approval without hibernating.");
        if (!_pending.TryTake(approvalId, PendingKind.Approval, out var approval))
            return CommandResult.InvalidState("The approval is no longer waiting for a person.");
        await StopAgentAsync();
        approval.Cancel();
        var note = $"Your request to use {approval.Detail} was denied and did not run: {reason} You were stopped while you waited for the decision; this message resumed you.";
        _resumeNote = _resumeNote is null ? note : _resumeNote + "\n" + note;
        var others = _pending.TakeBlocking();
        _turnActive = false;
        _heldTurnEnd = null;
        // One append: the denial is never stored without what the agent will be told of it.
        await _store.AppendAsync([
            EventFactory.Create(Id, EventTypes.MessageQueued, by.Name, new MessageQueuedData(note, by.Name, by.UserId, by.TokenId), OverseerJson.Default.MessageQueuedData),
            EventFactory.Create(Id, EventTypes.ApprovalDecided, by.Name,
                new ApprovalDecidedData(approvalId, ApprovalDecisions.Denied, by.Name, "hibernate", reason, ByUserId: by.UserId, TokenId: by.TokenId), OverseerJson.Default.ApprovalDecidedData),
            .. others.Select(i => PendingItems.Cancelled(Id, i.Kind, i.Id, "the session hibernated")),
        ]);
        foreach (var item in others)
            item.Cancel();
        if (_pending.Count == 0)
            await TransitionAsync(SessionStatus.Idle, by, $"{approval.Detail} denied by {by}; hibernated");
        else if (!NeedsSlot)
            _scheduler.MarkInactive(Id);
        await HibernateCoreAsync(by, $"{approval.Detail} was denied by {by} after waiting {_options.HibernateAfter}; the session hibernated");
        return CommandResult.Done;
    });

    /// <summary>Arms (or stops) the idle timer after every state change.</summary>
    private void ArmHibernation()
    {
        _hibernateTimer?.Dispose();
        _hibernateTimer = null;
        if (AgentIdle && _connection is not null && _options.HibernateAfter > TimeSpan.Zero && _info.Runtime.CanHibernate)
            _hibernateTimer = Schedule(_time.GetUtcNow() + _options.HibernateAfter, HibernateIfIdleAsync);
    }

    private async Task HibernateIfIdleAsync()
    {
        if (AgentIdle && _connection is not null && !_status.IsTerminal())
            await HibernateCoreAsync(EventFactory.SystemActor, $"the agent was idle for {_options.HibernateAfter}");
    }

    private async Task HibernateCoreAsync(ActedBy by, string reason)
    {
        _hibernateTimer?.Dispose();
        _hibernateTimer = null;
        var hadProcess = _connection is not null;
        await StopAgentAsync();
        if (hadProcess || !_hibernated)
            await AppendAsync(EventFactory.Create(Id, EventTypes.AgentHibernated, by.Name, new AgentHibernatedData(reason, by.Name, by.UserId, by.TokenId), OverseerJson.Default.AgentHibernatedData));
        _hibernated = true;
        // Answers given while others are still open live only here: keep the host for them.
        if (_followUps.Count == 0 && _parked is null)
        {
            _dropped = true;
            Finish();
        }
    }
}
