using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Safety;
using Overseer.Core.Scheduling;
using Overseer.Storage;

namespace Overseer.Core.Sessions;

/// <summary>
/// The actor that owns one session: a single reader applies commands and agent events, in order,
/// to the state machine, storing every fact before anything else sees it. Nothing outside this
/// type changes a session's state.
/// </summary>
public sealed partial class SessionHost
{
    private readonly SessionInfo _info;
    private readonly IEventStore _store;
    private readonly SessionScheduler _scheduler;
    private readonly IToolGate _gate;
    private readonly SessionOptions _options;
    private readonly Func<string, string> _redactSecrets;
    private readonly ILogger _logger;
    private readonly IAgentEnvironment _environment;

    /// <summary>The budgets that cover this session, and what they hold back; null where none are kept.</summary>
    private readonly SessionBudget? _budget;
    private readonly BudgetHolds _holds;
    private readonly Channel<Func<Task>> _mailbox = Channel.CreateBounded<Func<Task>>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TimeProvider _time;

    /// <summary>What the session waits on people for; the session is waiting while any blocking one remains, and held after its turn while any remains.</summary>
    private readonly PendingItems _pending = new();
    private readonly Task _loop;
    private SessionStatus _status;
    private IAgentConnection? _connection;
    private string? _agentSessionId;
    private UsageTotals _turnUsage = Zero;
    private UsageTotals _totalUsage;

    /// <summary>The open spans of the turn and its tool calls (docs/telemetry.md).</summary>
    private readonly Telemetry.TurnTrace _trace;
    private TurnEnded? _heldTurnEnd;
    private bool _connectionResumed;
    private int _rateLimitStreak;
    private int _generation;

    /// <summary>Where it goes in the queue when it waits for a slot; a person may change it (session.updated).</summary>
    private int _priority;

    /// <summary>The phase the agent said it began last, so its steps are filed under it.</summary>
    private readonly PhaseProgress _progress;

    /// <summary>What the agent must hear with its next message (approvals that expired with their process).</summary>
    private string? _resumeNote;

    /// <summary>How a held session goes on once the queue gives it a slot (it was answered while every slot was taken).</summary>
    private Func<Task>? _parked;

    /// <summary>The rate limit's reset (its due time is the session's stored rate_limited_until).</summary>
    private ITimer? _rateLimitTimer;

    private static readonly UsageTotals Zero = new(0, 0, 0, 0m);

    internal SessionHost(SessionInfo info, SessionStatus status, string? agentSessionId, UsageTotals totalUsage, SessionHostServices services, SessionRestore? restore = null)
    {
        _info = info;
        _status = status;
        _agentSessionId = agentSessionId;
        _totalUsage = totalUsage;
        _store = services.Store;
        _scheduler = services.Scheduler;
        _gate = services.Gate;
        _options = services.Options;
        _redactSecrets = services.RedactSecrets;
        _logger = services.Logger;
        _environment = services.Environment;
        _time = services.Time;
        _priority = info.Priority;
        _trace = new Telemetry.TurnTrace(info.Id);
        _progress = new PhaseProgress(restore?.Phase);
        _holds = services.Holds;
        _budget = services.Budgets is { } budgets ? new SessionBudget(budgets, new Budgets.BudgetSubject(info.Id, info.ProjectId, info.StartedById)) : null;
        if (restore is not null)
            Restore(restore);
        _loop = Task.Run(RunAsync);
    }

    public string Id => _info.Id;

    public SessionStatus Status => _status;

    /// <summary>Completes when the host has stopped for good (terminal state or shutdown).</summary>
    public Task Completion => _loop;

    internal event Action<SessionHost>? Finished;

    private async Task RunAsync()
    {
        await foreach (var work in _mailbox.Reader.ReadAllAsync())
        {
            try
            {
                await work();
            }
            catch (Exception ex)
            {
                LogWorkFailed(ex, Id);
            }
        }
        await TellsDrainedAsync();
        Finished?.Invoke(this);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the actor and returns its result. With
    /// <paramref name="inlineReply"/> the caller resumes on the actor's thread as the work ends,
    /// before the actor takes its next item: for the agent's pipe reader, which then parses what
    /// it has buffered and posts it (queued, not run) or waits on the pipe — one thread hop less
    /// per batch of agent output. Only for callers that never block and hold no lock.
    /// </summary>
    private async Task<T> PostAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default, bool inlineReply = false)
    {
        var reply = new TaskCompletionSource<T>(inlineReply ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _mailbox.Writer.WriteAsync(async () =>
            {
                // Queued behind the hibernation that dropped this host: the manager hands it to a
                // new host restored from the store. Run here, it would wake an agent whose output
                // this closed mailbox can no longer take, and the session would stay running.
                if (_dropped)
                {
                    reply.TrySetException(new SessionEndedException(Id));
                    return;
                }
                try
                {
                    reply.TrySetResult(await work());
                }
                catch (Exception ex)
                {
                    reply.TrySetException(ex);
                }
            }, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new SessionEndedException(Id);
        }
        // The caller's token also ends the wait: an agent being stopped by the actor must not
        // wait on the actor for a reply (that would deadlock the session).
        return await reply.Task.WaitAsync(cancellationToken);
    }

    private Task<CommandResult> Post(Func<Task<CommandResult>> work) => PostAsync(work);

    // ---- commands -------------------------------------------------------------------------

    internal Task StartAsync() => Post(async () =>
    {
        if (_parked is { } parked)
        {
            // Answered while every slot was taken: the queue has admitted it now.
            _parked = null;
            await parked();
            return CommandResult.Done;
        }
        if (_status != SessionStatus.Queued)
        {
            _scheduler.MarkInactive(Id);
            return CommandResult.Done;
        }
        if (await HeldInQueueByBudgetAsync())
            return CommandResult.Done;
        await TransitionAsync(SessionStatus.Starting, EventFactory.SystemActor);
        if (!await ConnectAsync(resume: false))
            return CommandResult.Done;
        await TransitionAsync(SessionStatus.Running, EventFactory.SystemActor);
        await BeginTurnAsync(_info.Prompt, _info.CreatedBy);
        return CommandResult.Done;
    });

    public Task<CommandResult> SendMessageAsync(string text, ActedBy by) => Post(async () =>
    {
        if (_status is not (SessionStatus.Idle or SessionStatus.Interrupted))
            return CommandResult.InvalidState($"A message can be sent when the session is idle or interrupted; it is {_status.ToWire()}.");
        if (await BudgetRefusalAsync() is { } refused)
            return refused;
        await ContinueAsync(text, by);
        return CommandResult.Done;
    });

    public Task<CommandResult> InterruptAsync(ActedBy by) => Post(async () =>
    {
        if (_status is not (SessionStatus.Running or SessionStatus.Waiting))
            return CommandResult.InvalidState($"Only a running or waiting session can be interrupted; it is {_status.ToWire()}.");
        await AppendAsync(EventFactory.Create(Id, EventTypes.UserMessage, by.Name, new UserMessageData("[interrupt]", by.Name, by.UserId, by.TokenId), OverseerJson.Default.UserMessageData));
        // The agent ends the turn itself (TurnEnded), which takes the session to idle.
        if (_connection is not null)
            await _connection.InterruptAsync(CancellationToken.None);
        else
            await EndTurnAsync(null, interrupted: true);
        return CommandResult.Done;
    });

    public Task<CommandResult> PauseAsync(ActedBy by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Paused))
            return CommandResult.InvalidState($"Only a running or waiting session can be paused; it is {_status.ToWire()}.");
        if (_connection is not null)
            await _connection.PauseAsync(CancellationToken.None);
        await TransitionAsync(SessionStatus.Paused, by, "paused by " + by);
        return CommandResult.Done;
    });

    /// <summary>Resumes a paused or interrupted session, unless a budget that covers it is spent (409 BUDGET_EXCEEDED naming it).</summary>
    public Task<CommandResult> ResumeAsync(ActedBy by) => Post(async () =>
    {
        if (_status is not (SessionStatus.Paused or SessionStatus.Interrupted))
            return CommandResult.InvalidState($"Only a paused or interrupted session can be resumed; it is {_status.ToWire()}.");
        if (await BudgetRefusalAsync() is { } refused)
            return refused;
        await ResumeCoreAsync(by);
        return CommandResult.Done;
    });

    private async Task ResumeCoreAsync(ActedBy by)
    {
        if (_status == SessionStatus.Interrupted)
        {
            await ContinueAsync(_options.ResumePrompt, by);
            return;
        }
        if (_connection is not null)
            await _connection.ResumeAsync(CancellationToken.None);
        var held = _pending.BlockingCount > 0 || (!_turnActive && _pending.Count > 0);
        if (!held)
            _scheduler.MarkActive(Id);
        if (_budget is not null)
            _budget.Paused = false;
        await TransitionAsync(held ? SessionStatus.Waiting : SessionStatus.Running, by, "resumed by " + by);
        if (_heldTurnEnd is { } heldEnd)
        {
            _heldTurnEnd = null;
            await EndTurnAsync(heldEnd.Error, heldEnd.Interrupted);
        }
        if (_budget?.HeldTurn is { } turn)
        {
            _budget.HeldTurn = null;
            await BeginTurnAsync(turn.Text, turn.By);
        }
    }

    public Task<CommandResult> CancelAsync(ActedBy by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Cancelled))
            return CommandResult.InvalidState($"The session is already {_status.ToWire()}.");
        _scheduler.Remove(Id);
        _parked = null;
        await StopAgentAsync();
        await CancelAllPendingAsync("the session was cancelled");
        await TransitionAsync(SessionStatus.Cancelled, by, "cancelled by " + by);
        Finish();
        return CommandResult.Done;
    });

    public Task<CommandResult> CloseAsync(ActedBy by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Completed))
            return CommandResult.InvalidState($"Only an idle or failed session can be closed; it is {_status.ToWire()}.");
        await StopAgentAsync();
        await TransitionAsync(SessionStatus.Completed, by, "closed by " + by);
        Finish();
        return CommandResult.Done;
    });

    /// <summary>
    /// The server is stopping: stop the agent. What people were asked stays open (approvals
    /// expire: their process is gone), a rate-limited session stays so until its reset, and a
    /// session in the middle of a turn becomes interrupted.
    /// </summary>
    internal Task ShutdownAsync(string reason) => Post(async () =>
    {
        var hadProcess = _connection is not null;
        await StopAgentAsync();
        await ProcessGoneAsync(reason);
        // Idle or held, it keeps its conversation: the next message resumes it after the restart.
        if (hadProcess && AgentIdle)
            await AppendAsync(EventFactory.Create(Id, EventTypes.AgentHibernated, EventFactory.SystemActor, new AgentHibernatedData("Overseer stopped.", EventFactory.SystemActor), OverseerJson.Default.AgentHibernatedData));
        Finish();
        return CommandResult.Done;
    });

    /// <summary>Resumes an interrupted session (with the resume prompt) once the queue admits it at its priority (start-up).</summary>
    internal Task ResumeWhenAdmittedAsync() => Post(() =>
    {
        if (_status != SessionStatus.Interrupted)
            return Task.FromResult(CommandResult.Done);
        _parked = async () =>
        {
            if (_status != SessionStatus.Interrupted)
            {
                _scheduler.MarkInactive(Id);
                return;
            }
            await ContinueAsync(_options.ResumePrompt, EventFactory.SystemActor);
        };
        _scheduler.Enqueue(Id, _priority);
        return Task.FromResult(CommandResult.Done);
    });

    /// <summary>A host for a session that outlived its process (restart): its open items, all deferred now, and its timers.</summary>
    private void Restore(SessionRestore restore)
    {
        foreach (var item in restore.Items)
        {
            if (item.Kind != PendingKind.Approval)
                _pending.Add(new PendingItem(item.Id, item.Kind, item.Detail, blocking: false));
        }
        _resumeNote = restore.ResumeNote;
        _hibernated = restore.Hibernated;
        if (_status == SessionStatus.RateLimited)
        {
            _scheduler.MarkActive(Id);
            _rateLimitTimer = Schedule(restore.RateLimitedUntil ?? _time.GetUtcNow(), ContinueAfterRateLimitAsync);
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    /// <summary>A new turn on an idle or interrupted conversation, starting (resuming) the agent when it is not running.</summary>
    private async Task ContinueAsync(string text, ActedBy by)
    {
        _scheduler.MarkActive(Id);
        await TransitionAsync(SessionStatus.Running, by);
        await BeginTurnAsync(text, by);
    }

    private async Task BeginTurnAsync(string text, ActedBy by)
    {
        if (await HoldTurnForBudgetAsync(text, by))
            return;
        _turnUsage = Zero;
        _turnActive = true;
        _trace.Begin(_info.Runtime.Name, _info.Model);
        if (_resumeNote is { } note)
        {
            // Told once, in the message that follows the restart (the store clears its copy with it).
            text = note + "\n\n" + text;
            _resumeNote = null;
        }
        if (_phaseBaseline is null)
            StartPhase();
        await AppendAsync(EventFactory.Create(Id, EventTypes.UserMessage, by.Name, new UserMessageData(text, by.Name, by.UserId, by.TokenId), OverseerJson.Default.UserMessageData));
        // The agent may have been stopped on purpose (a new environment): start it, resuming the conversation.
        if (_connection is null && !await ConnectAsync(resume: true))
            return;
        await AwaitPhaseBaselineAsync();
        _trace.Enter();
        try
        {
            await _connection!.SendAsync(text, CancellationToken.None);
        }
        catch (AgentGoneException)
        {
            // The process ended while idle (its exit may still be on its way): start it again,
            // resuming the same conversation, and deliver the message there.
            _connection = null;
            if (await ConnectAsync(resume: true))
                await _connection!.SendAsync(text, CancellationToken.None);
        }
    }

    private async Task<bool> ConnectAsync(bool resume)
    {
        try
        {
            var environment = new Dictionary<string, string>(_options.Environment, StringComparer.Ordinal);
            foreach (var (key, value) in await _environment.ForSessionAsync(Id, _info.ProjectId, CancellationToken.None))
                environment[key] = value;
            var context = new AgentStartContext(Id, _info.WorkingDirectory, _info.Model, _info.Script, _agentSessionId, resume,
                environment, new Sink(this, ++_generation), _info.ProjectName);
            _connection = await _info.Runtime.StartAsync(context, CancellationToken.None);
            _connectionResumed = resume;
            _hibernated = false;
            return true;
        }
        catch (Exception ex)
        {
            LogStartFailed(ex, Id);
            await TransitionAsync(SessionStatus.Failed, EventFactory.SystemActor, error: $"The {_info.Runtime.Name} agent could not start: {ex.Message}");
            _scheduler.MarkInactive(Id);
            return false;
        }
    }

    private async Task StopAgentAsync()
    {
        var connection = _connection;
        _connection = null;
        _generation++;
        if (connection is null)
            return;
        try
        {
            await connection.StopAsync(CancellationToken.None);
            await connection.DisposeAsync();
        }
        catch (Exception ex)
        {
            LogStopFailed(ex, Id);
        }
    }

    private Task TransitionAsync(SessionStatus to, ActedBy actor, string? reason = null, string? error = null, DateTimeOffset? until = null, InterruptionCause? cause = null) =>
        TransitionAsync(null, to, actor, reason, error, until, cause);

    /// <summary>
    /// Stores <paramref name="with"/> (when given) and the state change in one append, so no
    /// reader sees one without the other (a pending question and a session still "running").
    /// </summary>
    private async Task TransitionAsync(NewEvent? with, SessionStatus to, ActedBy actor, string? reason = null, string? error = null, DateTimeOffset? until = null, InterruptionCause? cause = null)
    {
        var from = _status;
        if (!SessionStateMachine.IsAllowed(from, to))
            throw new InvalidOperationException($"Session {Id}: {from.ToWire()} → {to.ToWire()} is not a legal transition.");
        // A person's change names them in the data too (their id and token); the system's and the
        // agent's are only the event's actor.
        var change = EventFactory.Create(Id, SessionStateMachine.EventType(from, to), actor.Name,
            new StateChangeData(from, to, reason, error, until, cause,
                actor.UserId is null ? null : actor.Name, actor.UserId, actor.TokenId), OverseerJson.Default.StateChangeData);
        await _store.AppendAsync(with is null ? [change] : [with, change]);
        _status = to;
        ArmHibernation();
        if (!NeedsSlot)
            _scheduler.MarkInactive(Id);
    }

    private Task AppendAsync(NewEvent e) => _store.AppendAsync([e]);

    private void Finish()
    {
        _rateLimitTimer?.Dispose();
        _hibernateTimer?.Dispose();
        _pending.DisposeTimers();
        _scheduler.MarkInactive(Id);
        _mailbox.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId}: a step failed")]
    private partial void LogWorkFailed(Exception ex, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the agent could not start")]
    private partial void LogStartFailed(Exception ex, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: stopping the agent failed")]
    private partial void LogStopFailed(Exception ex, string sessionId);
}
