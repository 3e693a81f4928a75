using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Safety;

namespace Overseer.Core.Sessions;

// What the session waits on a person for: every kind opens, resolves, times out and is cancelled
// through the one collection. A blocking item's answer goes to the waiting turn; a deferred
// item's answer becomes the agent's next message once nothing else is open.
public sealed partial class SessionHost
{
    // ---- opening ----------------------------------------------------------------------------

    private async Task<Task<ApprovalOutcome>> OpenApprovalAsync(ToolRequest request, ToolDecision decision)
    {
        var approvalId = Ids.New("a");
        var expiresAt = _time.GetUtcNow() + _options.ApprovalTimeout;
        var requested = EventFactory.Create(Id, EventTypes.ApprovalRequested, EventFactory.SystemActor,
            new ApprovalRequestedData(approvalId, request.ToolUseId, request.Name, request.Input, decision.Tier ?? "ORANGE",
                decision.Reason ?? "needs approval", decision.Rule ?? "", decision.ConfirmPhrase, expiresAt),
            OverseerJson.Default.ApprovalRequestedData);
        var item = await OpenBlockingAsync(PendingKind.Approval, approvalId, request.Name, requested, EventFactory.SystemActor, "waiting for approval");
        // Not decided in time: denied, so no agent waits forever on a person who is away. A
        // message to this actor, stopped with the item.
        item.Timer = Schedule(expiresAt, () => DecideApprovalCoreAsync(approvalId, approved: false, EventFactory.SystemActor, "timeout",
            $"Not decided within {_options.ApprovalTimeout.TotalMinutes:0.#} minutes.", remember: null));
        return Map(item.Waiter!.Task, a => new ApprovalOutcome(a.Approved, a.By.Name, a.Approved ? null : a.Text));
    }

    private async Task<Task<IReadOnlyDictionary<string, JsonElement>>> OpenQuestionAsync(IReadOnlyList<QuestionItem> questions, string? toolUseId)
    {
        var questionId = Ids.New("q");
        var asked = EventFactory.Create(Id, EventTypes.QuestionAsked, EventFactory.AgentActor,
            new QuestionAskedData(questionId, questions, toolUseId), OverseerJson.Default.QuestionAskedData);
        var item = await OpenBlockingAsync(PendingKind.Question, questionId, questions.Count > 0 ? questions[0].Question : null, asked, EventFactory.AgentActor, "waiting for an answer");
        return Map(item.Waiter!.Task, a => a.Answers!);
    }

    private async Task<Task<ReviewDecision>> OpenReviewAsync(ReviewRequest request)
    {
        var reviewId = Ids.New("r");
        var requested = EventFactory.Create(Id, EventTypes.ReviewRequested, EventFactory.AgentActor,
            new ReviewRequestedData(reviewId, request.Kind, request.Plan, request.Phase, request.ToolUseId), OverseerJson.Default.ReviewRequestedData);
        var item = await OpenBlockingAsync(PendingKind.Review, reviewId, request.Kind, requested, EventFactory.AgentActor, "waiting for a review");
        return Map(item.Waiter!.Task, a => new ReviewDecision(a.Approved, a.Text));
    }

    private async Task<PendingItem> OpenBlockingAsync(PendingKind kind, string id, string? detail, NewEvent opened, ActedBy actor, string reason)
    {
        // Added first: whether the waiting session keeps its slot depends on what it waits on.
        var item = new PendingItem(id, kind, detail, blocking: true);
        _pending.Add(item);
        if (kind == PendingKind.Approval)
            _scheduler.MarkActive(Id);
        if (_status == SessionStatus.Running)
            await TransitionAsync(opened, SessionStatus.Waiting, actor, reason);
        else
            await AppendAsync(opened);
        return item;
    }

    /// <summary>Stores <paramref name="opened"/> and holds a deferred item: the session waits for it once the turn ends.</summary>
    private async Task OpenDeferredAsync(PendingKind kind, string id, string? detail, params NewEvent[] opened)
    {
        await _store.AppendAsync(opened);
        _pending.Add(new PendingItem(id, kind, detail, blocking: false));
    }

    private static async Task<T> Map<T>(Task<PendingAnswer> answer, Func<PendingAnswer, T> map) => map(await answer);

    // ---- resolving --------------------------------------------------------------------------

    public Task<CommandResult> AnswerQuestionAsync(string questionId, IReadOnlyDictionary<string, JsonElement> answers, ActedBy by) => Post(() =>
        ResolveAsync(questionId, PendingKind.Question,
            EventFactory.Create(Id, EventTypes.QuestionAnswered, by.Name, new QuestionAnsweredData(questionId, answers, by.Name, by.UserId, by.TokenId), OverseerJson.Default.QuestionAnsweredData),
            new PendingAnswer(true, by, Answers: answers), "answered by " + by));

    public Task<CommandResult> DecideReviewAsync(string reviewId, bool approved, string? feedback, ActedBy by) => Post(() =>
        ResolveAsync(reviewId, PendingKind.Review,
            EventFactory.Create(Id, EventTypes.ReviewDecided, by.Name,
                new ReviewDecidedData(reviewId, approved ? "approved" : "changes_requested", feedback, by.Name, by.UserId, by.TokenId), OverseerJson.Default.ReviewDecidedData),
            new PendingAnswer(approved, by, feedback), (approved ? "approved by " : "changes requested by ") + by));

    public Task<CommandResult> DecideApprovalAsync(string approvalId, bool approved, ActedBy by, string how, string? reason, string? remember) =>
        Post(() => DecideApprovalCoreAsync(approvalId, approved, by, how, reason, remember));

    private Task<CommandResult> DecideApprovalCoreAsync(string approvalId, bool approved, ActedBy by, string how, string? reason, string? remember) =>
        ResolveAsync(approvalId, PendingKind.Approval,
            EventFactory.Create(Id, EventTypes.ApprovalDecided, by.Name,
                new ApprovalDecidedData(approvalId, approved ? ApprovalDecisions.Approved : ApprovalDecisions.Denied, by.Name, how, reason, remember, by.UserId, by.TokenId), OverseerJson.Default.ApprovalDecidedData),
            new PendingAnswer(approved, by, approved ? null : reason ?? $"Denied by {by}."), $"{(approved ? "approved" : "denied")} by {by}");

    /// <summary>
    /// A dependency was provided (its value is already in the vault). A running process's
    /// environment cannot change, so the agent is restarted — resuming the same conversation — and
    /// is told where to find the value.
    /// </summary>
    public Task<CommandResult> ProvideDependencyAsync(string dependencyId, string source, ActedBy by) => Post(() =>
        ResolveAsync(dependencyId, PendingKind.Dependency,
            EventFactory.Create(Id, EventTypes.DependencyProvided, by.Name, new DependencyProvidedData(dependencyId, "", source, by.Name, by.UserId, by.TokenId), OverseerJson.Default.DependencyProvidedData),
            new PendingAnswer(true, by, source), "provided by " + by));

    private async Task<CommandResult> ResolveAsync(string id, PendingKind kind, NewEvent resolution, PendingAnswer answer, string reason)
    {
        if (!_pending.TryTake(id, kind, out var item))
            return CommandResult.InvalidState($"The {kind.ToWire()} is no longer waiting for a person.");
        if (item.Waiter is { } waiter)
        {
            // In the turn: the agent goes on as soon as nothing else blocks it, with its slot back.
            if (_status == SessionStatus.Waiting && _pending.BlockingCount == 0)
            {
                await ContinueWithSlotAsync(resolution, answer.By, reason,
                    () => { waiter.TrySetResult(answer); return Task.CompletedTask; },
                    () => waiter.TrySetCanceled());
                return CommandResult.Done;
            }
            await AppendAsync(resolution);
            waiter.TrySetResult(answer);
            if (!NeedsSlot)
                _scheduler.MarkInactive(Id);
            return CommandResult.Done;
        }
        if (kind == PendingKind.Dependency)
        {
            // The stored fact names what was provided (the actor only knew the id).
            resolution = EventFactory.Create(Id, EventTypes.DependencyProvided, answer.By.Name,
                new DependencyProvidedData(id, item.Detail ?? "", answer.Text ?? "value", answer.By.Name, answer.By.UserId, answer.By.TokenId), OverseerJson.Default.DependencyProvidedData);
            if (!_turnActive)
                await StopAgentAsync();
        }
        if (kind == PendingKind.Review && item.Detail == "phase" && answer.Approved)
            StartPhase();
        var followUp = FollowUp(item, answer);
        _followUps.Add(followUp);
        // Stored as well as held here: a restart before the agent's next message (another item
        // still open, or the queue not yet admitting it) must not lose what the person answered.
        // Stored before the resolution: a crash between the two leaves the item open and the
        // answer twice in the next message, never the answer lost.
        await AppendAsync(EventFactory.Create(Id, EventTypes.MessageQueued, answer.By.Name,
            new MessageQueuedData(followUp, answer.By.Name, answer.By.UserId, answer.By.TokenId), OverseerJson.Default.MessageQueuedData));
        await ContinueAfterDeferredAsync(resolution, answer.By);
        return CommandResult.Done;
    }

    /// <summary>A deferred item's answer, as the agent reads it in its next message.</summary>
    private string FollowUp(PendingItem item, PendingAnswer answer) => item.Kind switch
    {
        PendingKind.Question => string.Join("\n", answer.Answers!.Select(a => $"Answer to your question \"{a.Key}\": {Describe(a.Value)}")),
        PendingKind.Dependency => $"The dependency {item.Detail} has been provided: it is in your environment as the variable {item.Detail}.",
        PendingKind.Review when item.Detail == "phase" => answer.Approved ? _options.NextPhasePrompt : $"Changes requested for the phase: {answer.Text}",
        PendingKind.Review => answer.Approved ? "Your plan was approved. Go ahead with it." : $"Changes requested to your plan: {answer.Text}",
        _ => answer.Approved ? $"Your request to use {item.Detail} was approved; ask for it again." : $"Your request to use {item.Detail} was denied: {answer.Text}",
    };

    private static string Describe(JsonElement answer) => answer.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", answer.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.ToString())),
        JsonValueKind.String => answer.GetString() ?? "",
        _ => answer.ToString(),
    };

    /// <summary>
    /// Stores a resolution; when it was the last thing the held session waited for, the queued
    /// follow-ups start the next turn (resuming the agent if its process is gone).
    /// </summary>
    private async Task ContinueAfterDeferredAsync(NewEvent resolution, ActedBy by)
    {
        if (_status != SessionStatus.Waiting || _pending.Count > 0 || _turnActive || _followUps.Count == 0)
        {
            await AppendAsync(resolution);
            return;
        }
        await ContinueWithSlotAsync(resolution, by, "decided by " + by, async () =>
        {
            var message = string.Join("\n\n", _followUps);
            _followUps.Clear();
            await BeginTurnAsync(message, by);
        }, abandon: null);
    }

    /// <summary>
    /// Whether the session needs a concurrency slot: while its agent works, and while a tool call
    /// waits at the gate (an in-turn approval keeps the slot). Held on anything else (a budget's
    /// pause included), a session waits on a person and the queue moves on.
    /// </summary>
    private bool NeedsSlot => _status is SessionStatus.Starting or SessionStatus.Running or SessionStatus.RateLimited
        || (_status == SessionStatus.Paused && _budget?.Paused != true)
        || (_status == SessionStatus.Waiting && _pending.Has(PendingKind.Approval));

    /// <summary>
    /// Takes a held session back to running once it has a slot: at once when one is free,
    /// otherwise when the queue admits it at its priority. The resolution is stored now either way.
    /// </summary>
    private async Task ContinueWithSlotAsync(NewEvent resolution, ActedBy by, string reason, Func<Task> then, Action? abandon)
    {
        if (_scheduler.TryAcquire(Id))
        {
            await TransitionAsync(resolution, SessionStatus.Running, by, reason);
            await then();
            return;
        }
        await AppendAsync(resolution);
        _parked = async () =>
        {
            if (_status != SessionStatus.Waiting || _pending.BlockingCount > 0)
            {
                // Something else happened meanwhile (an interrupt, another item): the slot goes back.
                abandon?.Invoke();
                if (!NeedsSlot)
                    _scheduler.MarkInactive(Id);
                return;
            }
            await TransitionAsync(SessionStatus.Running, by, reason);
            await then();
        };
        _scheduler.Enqueue(Id, _priority);
    }

    // ---- closing without an answer ------------------------------------------------------------

    /// <summary>The turn ended (or its process did): what it waited on can no longer be answered.</summary>
    private Task CancelBlockingAsync(string reason) => CancelAsync(_pending.TakeBlocking(), reason);

    /// <summary>The session is ending: nothing it asked can be acted on any more.</summary>
    private async Task CancelAllPendingAsync(string reason)
    {
        await CancelAsync(_pending.TakeAll(), reason);
        _followUps.Clear();
    }

    private async Task CancelAsync(List<PendingItem> items, string reason)
    {
        if (items.Count == 0)
            return;
        await _store.AppendAsync([.. items.Select(i => PendingItems.Cancelled(Id, i.Kind, i.Id, reason))]);
        foreach (var item in items)
            item.Cancel();
    }

    /// <summary>
    /// The process is gone (shutdown): approvals expire (the call never runs; the agent is told on
    /// its next message), everything else people were asked stays open, and the session is held on
    /// it, stays rate limited until its reset, or is interrupted.
    /// </summary>
    private async Task ProcessGoneAsync(string reason)
    {
        var expired = _pending.Take(PendingKind.Approval);
        if (expired.Count > 0)
            await _store.AppendAsync([.. expired.Select(a => PendingItems.Expired(Id, a.Id, $"{reason} The agent process that asked for it is gone."))]);
        foreach (var approval in expired)
            approval.Cancel();
        _pending.DeferAll();
        _turnActive = false;
        if (PendingItems.AfterProcessGone(_status, _pending.Count > 0) is { } next)
            await TransitionAsync(next, EventFactory.SystemActor, reason, cause: next == SessionStatus.Interrupted ? InterruptionCause.Stop : null);
    }

    // ---- timers -------------------------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="work"/> on this actor at <paramref name="due"/> (the session's
    /// <see cref="TimeProvider"/>). The due time is stored with what it belongs to, so a restart
    /// arms it again; disposing the timer stops it.
    /// </summary>
    private ITimer Schedule(DateTimeOffset due, Func<Task> work)
    {
        var delay = due - _time.GetUtcNow();
        return _time.CreateTimer(static state =>
        {
            var (host, work) = ((SessionHost, Func<Task>))state!;
            host.Tell(work);
        }, (this, work), delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Queues <paramref name="work"/> on the actor without waiting for it (timers).</summary>
    private void Tell(Func<Task> work)
    {
        if (_mailbox.Writer.TryWrite(work))
            return;
        // The mailbox is full (a flood of agent output): write when there is room. Tracked, so the
        // host's completion waits for it and a failure is logged instead of lost.
        var write = WriteWhenRoomAsync(work);
        lock (_telling)
        {
            _telling.RemoveAll(t => t.IsCompleted);
            if (!write.IsCompleted)
                _telling.Add(write);
        }
    }

    private readonly List<Task> _telling = [];

    private async Task WriteWhenRoomAsync(Func<Task> work)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(work);
        }
        catch (ChannelClosedException)
        {
            // The session ended (or hibernated) first: a timer's work has nothing left to act on.
            LogToldTooLate(Id);
        }
        catch (Exception ex)
        {
            LogTellFailed(ex, Id);
        }
    }

    /// <summary>Writes <see cref="Tell"/> still had waiting when the mailbox closed: they end at once (the channel refuses them).</summary>
    private Task TellsDrainedAsync()
    {
        lock (_telling)
            return Task.WhenAll(_telling);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {SessionId}: a timer fired after its session's actor stopped")]
    private partial void LogToldTooLate(string sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId}: queuing a timer's work failed")]
    private partial void LogTellFailed(Exception ex, string sessionId);
}
