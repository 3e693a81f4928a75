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
    private readonly ILogger _logger;
    private readonly IAgentEnvironment _environment;
    private readonly Channel<Func<Task>> _mailbox = Channel.CreateBounded<Func<Task>>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Dictionary<string, TaskCompletionSource<IReadOnlyDictionary<string, System.Text.Json.JsonElement>>> _questions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<ReviewDecision>> _reviews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<ApprovalOutcome>> _approvals = new(StringComparer.Ordinal);

    /// <summary>Approvals, questions and reviews the agent is blocked on; the session is waiting while any remain.</summary>
    private int PendingCount => _questions.Count + _reviews.Count + _approvals.Count + _phaseReviews.Count + _textQuestions.Count + _dependencies.Count;
    private readonly Task _loop;
    private SessionStatus _status;
    private IAgentConnection? _connection;
    private string? _agentSessionId;
    private UsageTotals _turnUsage = Zero;
    private UsageTotals _totalUsage;
    private TurnEnded? _heldTurnEnd;
    private bool _connectionResumed;
    private int _rateLimitStreak;
    private int _generation;

    private static readonly UsageTotals Zero = new(0, 0, 0, 0m);

    internal SessionHost(SessionInfo info, SessionStatus status, string? agentSessionId, UsageTotals totalUsage, SessionHostServices services)
    {
        _info = info;
        _status = status;
        _agentSessionId = agentSessionId;
        _totalUsage = totalUsage;
        _store = services.Store;
        _scheduler = services.Scheduler;
        _gate = services.Gate;
        _options = services.Options;
        _logger = services.Logger;
        _environment = services.Environment;
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
        if (_status != SessionStatus.Queued)
        {
            _scheduler.MarkInactive(Id);
            return CommandResult.Done;
        }
        await TransitionAsync(SessionStatus.Starting, EventFactory.SystemActor);
        if (!await ConnectAsync(resume: false))
            return CommandResult.Done;
        await TransitionAsync(SessionStatus.Running, EventFactory.SystemActor);
        await BeginTurnAsync(_info.Prompt, _info.CreatedBy);
        return CommandResult.Done;
    });

    public Task<CommandResult> SendMessageAsync(string text, string by) => Post(async () =>
    {
        if (_status is not (SessionStatus.Idle or SessionStatus.Interrupted))
            return CommandResult.InvalidState($"A message can be sent when the session is idle or interrupted; it is {_status.ToWire()}.");
        await ContinueAsync(text, by);
        return CommandResult.Done;
    });

    public Task<CommandResult> InterruptAsync(string by) => Post(async () =>
    {
        if (_status is not (SessionStatus.Running or SessionStatus.Waiting))
            return CommandResult.InvalidState($"Only a running or waiting session can be interrupted; it is {_status.ToWire()}.");
        await AppendAsync(EventFactory.Create(Id, EventTypes.UserMessage, by, new UserMessageData("[interrupt]", by), OverseerJson.Default.UserMessageData));
        // The agent ends the turn itself (TurnEnded), which takes the session to idle.
        if (_connection is not null)
            await _connection.InterruptAsync(CancellationToken.None);
        else
            await EndTurnAsync(null, interrupted: true);
        return CommandResult.Done;
    });

    public Task<CommandResult> PauseAsync(string by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Paused))
            return CommandResult.InvalidState($"Only a running or waiting session can be paused; it is {_status.ToWire()}.");
        if (_connection is not null)
            await _connection.PauseAsync(CancellationToken.None);
        await TransitionAsync(SessionStatus.Paused, by, "paused by " + by);
        return CommandResult.Done;
    });

    public Task<CommandResult> ResumeAsync(string by) => Post(async () =>
    {
        switch (_status)
        {
            case SessionStatus.Paused:
                if (_connection is not null)
                    await _connection.ResumeAsync(CancellationToken.None);
                await TransitionAsync(PendingCount > 0 ? SessionStatus.Waiting : SessionStatus.Running, by, "resumed by " + by);
                if (_heldTurnEnd is { } held)
                {
                    _heldTurnEnd = null;
                    await EndTurnAsync(held.Error, held.Interrupted);
                }
                return CommandResult.Done;
            case SessionStatus.Interrupted:
                await ContinueAsync(_options.ResumePrompt, by);
                return CommandResult.Done;
            default:
                return CommandResult.InvalidState($"Only a paused or interrupted session can be resumed; it is {_status.ToWire()}.");
        }
    });

    public Task<CommandResult> CancelAsync(string by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Cancelled))
            return CommandResult.InvalidState($"The session is already {_status.ToWire()}.");
        _scheduler.Remove(Id);
        await StopAgentAsync();
        await CancelQuestionsAsync("the session was cancelled");
        await CancelPhaseReviewsAsync("the session was cancelled");
        await TransitionAsync(SessionStatus.Cancelled, by, "cancelled by " + by);
        Finish();
        return CommandResult.Done;
    });

    public Task<CommandResult> CloseAsync(string by) => Post(async () =>
    {
        if (!SessionStateMachine.IsAllowed(_status, SessionStatus.Completed))
            return CommandResult.InvalidState($"Only an idle or failed session can be closed; it is {_status.ToWire()}.");
        await StopAgentAsync();
        await TransitionAsync(SessionStatus.Completed, by, "closed by " + by);
        Finish();
        return CommandResult.Done;
    });

    public Task<CommandResult> AnswerQuestionAsync(string questionId, IReadOnlyDictionary<string, System.Text.Json.JsonElement> answers, string by) => Post(async () =>
    {
        if (await AnswerTextQuestionAsync(questionId, answers, by))
            return CommandResult.Done;
        if (!_questions.Remove(questionId, out var waiter))
            return CommandResult.InvalidState("The question is no longer waiting for an answer.");
        var answered = EventFactory.Create(Id, EventTypes.QuestionAnswered, by, new QuestionAnsweredData(questionId, answers, by), OverseerJson.Default.QuestionAnsweredData);
        await ResolvedAsync(answered, by, "answered by " + by);
        waiter.TrySetResult(answers);
        return CommandResult.Done;
    });

    public Task<CommandResult> DecideReviewAsync(string reviewId, bool approved, string? feedback, string by) => Post(async () =>
    {
        if (_phaseReviews.Remove(reviewId))
        {
            await DecidePhaseAsync(reviewId, approved, feedback, by);
            return CommandResult.Done;
        }
        if (!_reviews.Remove(reviewId, out var waiter))
            return CommandResult.InvalidState("The review is no longer waiting for a decision.");
        var decided = EventFactory.Create(Id, EventTypes.ReviewDecided, by,
            new ReviewDecidedData(reviewId, approved ? "approved" : "changes_requested", feedback, by), OverseerJson.Default.ReviewDecidedData);
        await ResolvedAsync(decided, by, (approved ? "approved by " : "changes requested by ") + by);
        waiter.TrySetResult(new ReviewDecision(approved, feedback));
        return CommandResult.Done;
    });

    public Task<CommandResult> DecideApprovalAsync(string approvalId, bool approved, string by, string how, string? reason, string? remember) => Post(async () =>
    {
        if (!_approvals.Remove(approvalId, out var waiter))
            return CommandResult.InvalidState("The approval is no longer waiting for a decision.");
        var decided = EventFactory.Create(Id, EventTypes.ApprovalDecided, by,
            new ApprovalDecidedData(approvalId, approved ? "approved" : "denied", by, how, reason, remember), OverseerJson.Default.ApprovalDecidedData);
        await ResolvedAsync(decided, by, $"{(approved ? "approved" : "denied")} by {by}");
        waiter.TrySetResult(new ApprovalOutcome(approved, by, approved ? null : reason ?? $"Denied by {by}."));
        return CommandResult.Done;
    });

    /// <summary>Stores the resolution of a pending item; the last one takes the session back to running.</summary>
    private Task ResolvedAsync(NewEvent resolution, string by, string reason) =>
        _status == SessionStatus.Waiting && PendingCount == 0
            ? TransitionAsync(resolution, SessionStatus.Running, by, reason)
            : AppendAsync(resolution);

    /// <summary>The server is stopping: stop the agent; a session in the middle of a turn becomes interrupted.</summary>
    internal Task ShutdownAsync(string reason) => Post(async () =>
    {
        await StopAgentAsync();
        if (SessionStateMachine.IsAllowed(_status, SessionStatus.Interrupted))
        {
            await CancelQuestionsAsync(reason);
            await CancelPhaseReviewsAsync(reason);
            await TransitionAsync(SessionStatus.Interrupted, EventFactory.SystemActor, reason);
        }
        Finish();
        return CommandResult.Done;
    });

    // ---- helpers --------------------------------------------------------------------------

    /// <summary>A new turn on an idle or interrupted conversation, starting (resuming) the agent when it is not running.</summary>
    private async Task ContinueAsync(string text, string by)
    {
        _scheduler.MarkActive(Id);
        await TransitionAsync(SessionStatus.Running, by);
        await BeginTurnAsync(text, by);
    }

    private async Task BeginTurnAsync(string text, string by)
    {
        _turnUsage = Zero;
        _turnActive = true;
        if (_phaseBaseline is null)
            StartPhase();
        await AppendAsync(EventFactory.Create(Id, EventTypes.UserMessage, by, new UserMessageData(text, by), OverseerJson.Default.UserMessageData));
        // The agent may have been stopped on purpose (a new environment): start it, resuming the conversation.
        if (_connection is null && !await ConnectAsync(resume: true))
            return;
        await AwaitPhaseBaselineAsync();
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

    private async Task CancelQuestionsAsync(string reason)
    {
        foreach (var (questionId, waiter) in _questions)
        {
            await AppendAsync(EventFactory.Create(Id, EventTypes.QuestionCancelled, EventFactory.SystemActor, new QuestionCancelledData(questionId, reason), OverseerJson.Default.QuestionCancelledData));
            waiter.TrySetCanceled();
        }
        _questions.Clear();
        foreach (var (approvalId, waiter) in _approvals)
        {
            await AppendAsync(EventFactory.Create(Id, EventTypes.ApprovalDecided, EventFactory.SystemActor,
                new ApprovalDecidedData(approvalId, "denied", EventFactory.SystemActor, "cancelled", reason), OverseerJson.Default.ApprovalDecidedData));
            waiter.TrySetCanceled();
        }
        _approvals.Clear();
        foreach (var (reviewId, waiter) in _reviews)
        {
            await AppendAsync(EventFactory.Create(Id, EventTypes.ReviewCancelled, EventFactory.SystemActor, new ReviewCancelledData(reviewId, reason), OverseerJson.Default.ReviewCancelledData));
            waiter.TrySetCanceled();
        }
        _reviews.Clear();
    }

    private Task TransitionAsync(SessionStatus to, string actor, string? reason = null, string? error = null, DateTimeOffset? until = null) =>
        TransitionAsync(null, to, actor, reason, error, until);

    /// <summary>
    /// Stores <paramref name="with"/> (when given) and the state change in one append, so no
    /// reader sees one without the other (a pending question and a session still "running").
    /// </summary>
    private async Task TransitionAsync(NewEvent? with, SessionStatus to, string actor, string? reason = null, string? error = null, DateTimeOffset? until = null)
    {
        var from = _status;
        if (!SessionStateMachine.IsAllowed(from, to))
            throw new InvalidOperationException($"Session {Id}: {from.ToWire()} → {to.ToWire()} is not a legal transition.");
        var change = EventFactory.Create(Id, SessionStateMachine.EventType(from, to), actor,
            new StateChangeData(from, to, reason, error, until), OverseerJson.Default.StateChangeData);
        await _store.AppendAsync(with is null ? [change] : [with, change]);
        _status = to;
        if (!SessionStateMachine.IsActive(to))
            _scheduler.MarkInactive(Id);
    }

    private Task AppendAsync(NewEvent e) => _store.AppendAsync([e]);

    private void Finish()
    {
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
