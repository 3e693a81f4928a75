using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Safety;
using Overseer.Core.Telemetry;

namespace Overseer.Core.Sessions;

// What the agent tells the session: each call is queued on the actor, so agent output,
// commands and state changes are stored in one order.
public sealed partial class SessionHost
{
    /// <summary>One per agent connection: output of a connection the session has replaced is ignored.</summary>
    private sealed class Sink(SessionHost host, int generation) : IAgentSink
    {
        public async ValueTask EmitAsync(AgentEvent agentEvent, CancellationToken cancellationToken) =>
            await host.PostAsync(() => generation == host._generation ? host.OnAgentEventAsync(agentEvent) : Task.FromResult(false), cancellationToken, inlineReply: true);

        public async ValueTask EmitBatchAsync(IReadOnlyList<AgentEvent> agentEvents, CancellationToken cancellationToken) =>
            await host.PostAsync(() => generation == host._generation ? host.OnAgentBatchAsync(agentEvents) : Task.FromResult(false), cancellationToken, inlineReply: true);

        public async Task<ToolDecision> RequestToolAsync(ToolRequest request, CancellationToken cancellationToken)
        {
            var call = SessionTracing.StartToolCall(host._trace.Context, host.Id, request.Name, request.ToolUseId);
            var handedOver = false;
            try
            {
                // The gate may wait on a person for a long time: it is asked off the actor.
                var decision = await host._gate.DecideAsync(new ToolGateRequest(host.Id, host._info.ProjectId, host._info.WorkingDirectory, request), cancellationToken);
                var by = EventFactory.SystemActor;
                TimeSpan? waited = null;
                if (decision.NeedsApproval)
                {
                    var asked = host._time.GetTimestamp();
                    using (SessionTracing.StartApprovalWait(call))
                    {
                        var decided = await host.PostAsync(() => host.OpenApprovalAsync(request, decision), cancellationToken);
                        var outcome = await decided.WaitAsync(cancellationToken);
                        by = outcome.By;
                        decision = decision with { Allowed = outcome.Approved, Reason = outcome.Reason ?? decision.Reason, NeedsApproval = false };
                    }
                    waited = host._time.GetElapsedTime(asked);
                }
                SessionTracing.Decided(call, decision.Tier, decision.Allowed, waited is null ? null : by, waited);
                await host.PostAsync(async () =>
                {
                    host._trace.Decided(request.ToolUseId, call, decision.Allowed);
                    handedOver = true;
                    await host.AppendAsync(EventFactory.Create(host.Id, EventTypes.ToolDecided, by,
                        new ToolDecisionData(request.ToolUseId, request.Name, decision.Allowed ? "allow" : "deny", decision.Tier, decision.Reason),
                        OverseerJson.Default.ToolDecisionData));
                    return true;
                }, cancellationToken);
                return decision;
            }
            finally
            {
                // Cancelled or failed before the session took it: the span ends with the wait.
                if (!handedOver)
                    call?.Stop();
            }
        }

        public async Task<IReadOnlyDictionary<string, JsonElement>> AskAsync(IReadOnlyList<QuestionItem> questions, string? toolUseId, CancellationToken cancellationToken)
        {
            var answered = await host.PostAsync(() => host.OpenQuestionAsync(questions, toolUseId), cancellationToken);
            return await answered.WaitAsync(cancellationToken);
        }

        public async Task<ReviewDecision> RequestReviewAsync(ReviewRequest request, CancellationToken cancellationToken)
        {
            var decided = await host.PostAsync(() => host.OpenReviewAsync(request), cancellationToken);
            return await decided.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// What the agent wrote between two reads of its pipe, in one turn of the actor: runs of
    /// output that only need storing become one append (one commit, one wake of each client);
    /// anything that acts — and any text in which the scanner completes a block — goes on its
    /// own, after what came before it is stored, so the stored order is the agent's.
    /// </summary>
    private async Task<bool> OnAgentBatchAsync(IReadOnlyList<AgentEvent> agentEvents)
    {
        // One list for the host's life: the actor runs one batch at a time, and each ends empty.
        var pending = _pendingOutput;
        try
        {
            foreach (var agentEvent in agentEvents)
            {
                if (_status.IsTerminal())
                    return false;
                if (StoredOnly(agentEvent) is not { } stored)
                {
                    await AppendPendingAsync(pending);
                    await OnActingEventAsync(agentEvent);
                    continue;
                }
                pending.Add(stored);
                if (agentEvent is AgentTextEmitted text)
                {
                    // Blocks open at line starts, and a text block's end is a line end (fed apart: no
                    // copy of the text). The whole text is in the record (its blob), so the scanner
                    // reads all of it; it keeps bounded state. A block it completes is acted on right
                    // after the text that completed it is stored.
                    await ScanAfterAsync(pending, _scanner.Feed(text.Text));
                    if (!text.Text.EndsWith('\n'))
                        await ScanAfterAsync(pending, _scanner.Feed("\n"));
                }
            }
            await AppendPendingAsync(pending);
            return true;
        }
        finally
        {
            // A step that failed leaves nothing behind for the next batch.
            pending.Clear();
        }
    }

    private readonly List<NewEvent> _pendingOutput = [];

    private Task<bool> OnAgentEventAsync(AgentEvent agentEvent) => OnAgentBatchAsync([agentEvent]);

    /// <summary>The event for agent output that only needs storing (text, thinking, a tool call, a fact); null for output that acts.</summary>
    private NewEvent? StoredOnly(AgentEvent agentEvent) => agentEvent switch
    {
        AgentTextEmitted text => TextEvent(EventTypes.AgentText, text.Text, text.MessageId),
        AgentThinkingEmitted thinking => TextEvent(EventTypes.AgentThinking, thinking.Text, thinking.MessageId, thinking.Signature, thinking.Redacted ? true : null),
        ToolCallRequested call => ToolCallEvent(call),
        AgentFact fact => FactEvent(fact),
        PhaseStarted phase => PhaseEvent(phase.Name, phase.Index, phase.Total),
        StepUpdated step => StepEvent(step.Percent, step.Text, step.Step, step.Steps),
        _ => null,
    };

    /// <summary><c>phase.started</c>, from a script step or the text protocol; the phase becomes the current one.</summary>
    private NewEvent PhaseEvent(string? name, int? index, int? total) =>
        EventFactory.Create(Id, EventTypes.PhaseStarted, EventFactory.AgentActor, _progress.Start(name, index, total), OverseerJson.Default.PhaseStartedData);

    /// <summary><c>step.updated</c> in the current phase.</summary>
    private NewEvent StepEvent(int percent, string? text, int? step, int? steps) =>
        EventFactory.Create(Id, EventTypes.StepUpdated, EventFactory.AgentActor, _progress.Step(percent, text, step, steps), OverseerJson.Default.StepUpdatedData);

    private async Task ScanAfterAsync(List<NewEvent> pending, IReadOnlyList<Interaction.TextProtocol.ProtocolBlock> blocks)
    {
        if (blocks.Count == 0)
            return;
        await AppendPendingAsync(pending);
        await ScanAsync(blocks);
    }

    private async Task AppendPendingAsync(List<NewEvent> pending)
    {
        if (pending.Count == 0)
            return;
        var events = pending.ToArray();
        pending.Clear();
        await _store.AppendAsync(events);
    }

    private async Task OnActingEventAsync(AgentEvent agentEvent)
    {
        switch (agentEvent)
        {
            case ToolResultEmitted result:
                _trace.ToolReturned(result.ToolUseId, result.IsError);
                var output = Preview(result.Output);
                await AppendAsync(EventFactory.Create(Id, EventTypes.ToolResult, EventFactory.AgentActor,
                    new ToolResultData(result.ToolUseId, output.Text, result.IsError, output.Truncated, output.FullLength, output.BlobId), OverseerJson.Default.ToolResultData, output.Blob));
                break;
            case UsageReported usage:
                await RecordUsageAsync(usage);
                break;
            case AgentStarted started:
                _agentSessionId = started.AgentSessionId ?? _agentSessionId;
                await AppendAsync(EventFactory.Create(Id, EventTypes.AgentStarted, EventFactory.AgentActor,
                    new AgentStartedData(started.AgentSessionId, started.Model, _connectionResumed, started.Version, started.Tools, started.ProcessId),
                    OverseerJson.Default.AgentStartedData));
                break;
            case RateLimited limited:
                await OnRateLimitedAsync(limited);
                break;
            case TurnEnded ended:
                await EndTurnAsync(ended.Error, ended.Interrupted);
                break;
            case AgentExited exited:
                await OnAgentExitedAsync(exited);
                break;
        }
    }

    private async Task EndTurnAsync(string? error, bool interrupted)
    {
        _trace.End(error, interrupted, _turnUsage.InputTokens, _turnUsage.OutputTokens, _turnUsage.CostUsd);
        if (_status == SessionStatus.Paused)
        {
            // Applied on resume: a paused session shows the state it was paused in.
            _heldTurnEnd = new TurnEnded(error, interrupted);
            return;
        }
        if (_status is not (SessionStatus.Running or SessionStatus.Waiting or SessionStatus.RateLimited))
            return;
        _turnActive = false;
        await ScanAsync(_scanner.Flush());
        await CancelBlockingAsync(interrupted ? "the turn was interrupted" : "the turn ended");
        if (error is null)
            _rateLimitStreak = 0;
        if (_status == SessionStatus.RateLimited)
            return;
        if (error is not null)
        {
            await TransitionAsync(SessionStatus.Failed, EventFactory.AgentActor, error: error);
        }
        else if (_pending.Count > 0)
        {
            // Held: the next message waits for the phase's review, the question's answer or the dependency.
            if (_status == SessionStatus.Running)
                await TransitionAsync(SessionStatus.Waiting, EventFactory.AgentActor, _pending.HoldReason());
        }
        else if (_followUps.Count > 0 && !interrupted)
        {
            // Decided while the turn was still running: go straight on.
            var message = string.Join("\n\n", _followUps);
            _followUps.Clear();
            await BeginTurnAsync(message, EventFactory.SystemActor);
        }
        else
        {
            await TransitionAsync(SessionStatus.Idle, EventFactory.AgentActor, interrupted ? "interrupted" : "turn finished");
        }
    }

    /// <summary>A 429: wait until the provider's reset time (or back off) and then continue by itself.</summary>
    private async Task OnRateLimitedAsync(RateLimited limited)
    {
        if (_status != SessionStatus.Running)
            return;
        var backoff = TimeSpan.FromTicks(Math.Min(
            _options.RateLimitBackoff.Ticks * (1L << Math.Min(_rateLimitStreak, 20)),
            _options.MaxRateLimitBackoff.Ticks));
        _rateLimitStreak++;
        var now = _time.GetUtcNow();
        var until = limited.ResetsAt is { } reset && reset > now ? reset : now + backoff;
        await TransitionAsync(SessionStatus.RateLimited, EventFactory.SystemActor, limited.Message, until: until);
        _rateLimitTimer?.Dispose();
        _rateLimitTimer = Schedule(until, ContinueAfterRateLimitAsync);
    }

    /// <summary>The reset time came (on this server or, after a restart, the next): the session continues by itself.</summary>
    private async Task ContinueAfterRateLimitAsync()
    {
        if (_status != SessionStatus.RateLimited)
            return;
        await TransitionAsync(SessionStatus.Running, EventFactory.SystemActor, "the rate limit has reset");
        await BeginTurnAsync(_options.ResumePrompt, EventFactory.SystemActor);
    }

    private async Task OnAgentExitedAsync(AgentExited exited)
    {
        // Not awaited: the connection's reader is the one waiting for this very event to be handled.
        if (_connection is { } gone)
            _ = gone.DisposeAsync().AsTask();
        _connection = null;
        _trace.End("the agent exited", interrupted: false, _turnUsage.InputTokens, _turnUsage.OutputTokens, _turnUsage.CostUsd);
        await AppendAsync(EventFactory.Create(Id, EventTypes.AgentExited, EventFactory.AgentActor, new AgentExitedData(exited.ExitCode, exited.Detail), OverseerJson.Default.AgentExitedData));
        if (SessionStateMachine.IsActive(_status) && _status != SessionStatus.Starting)
        {
            await CancelBlockingAsync("the agent exited");
            var code = exited.ExitCode is { } c ? $" with code {c}" : "";
            await TransitionAsync(SessionStatus.Failed, EventFactory.SystemActor, error: $"The agent exited unexpectedly{code}." + (exited.Detail is null ? "" : " " + exited.Detail));
        }
    }

    private async Task RecordUsageAsync(UsageReported usage)
    {
        AgentMetrics.RecordUsage(usage.Model ?? _info.Model, usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CostUsd);
        _turnUsage = Add(_turnUsage, usage);
        _totalUsage = Add(_totalUsage, usage);
        await AppendAsync(EventFactory.Create(Id, EventTypes.UsageUpdated, EventFactory.AgentActor,
            new UsageUpdatedData(usage.Model ?? _info.Model, usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CostUsd, _turnUsage, _totalUsage),
            OverseerJson.Default.UsageUpdatedData));
        if (usage.CostUsd > 0 || usage.InputTokens + usage.OutputTokens > 0)
            await EnforceBudgetsAsync();
    }

    private static UsageTotals Add(UsageTotals totals, UsageReported usage) => new(
        totals.InputTokens + usage.InputTokens,
        totals.OutputTokens + usage.OutputTokens,
        totals.CacheReadTokens + usage.CacheReadTokens,
        totals.CostUsd + usage.CostUsd);

    /// <summary>
    /// A long text's preview is cut from the text with its secrets already replaced: cut first, a
    /// secret straddling the cut would leave its head in the preview, where the store's redaction
    /// (which looks for whole values) cannot see it.
    /// </summary>
    private TextPreview Preview(string text) =>
        TextPreview.Of(text.Length > _options.EventPreviewChars ? _redactSecrets(text) : text, _options.EventPreviewChars);

    /// <summary>
    /// JSON short enough to keep whole, told from its UTF-8 without copying it into a string (as
    /// many chars as bytes at most): every tool call and raw message passes here.
    /// </summary>
    private bool FitsWhole(JsonElement json) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(json).Length <= _options.EventPreviewChars;

    /// <summary>Agent text or thinking as stored, by one event or in a batch: a preview, and the whole text as a blob when long.</summary>
    private NewEvent TextEvent(string type, string text, string? messageId, string? signature = null, bool? redacted = null)
    {
        var shown = Preview(text);
        return EventFactory.Create(Id, type, EventFactory.AgentActor,
            new AgentTextData(shown.Text, messageId, shown.Truncated, shown.FullLength, shown.BlobId, signature, redacted), OverseerJson.Default.AgentTextData, shown.Blob);
    }

    /// <summary>A large input (a 7 MB Write) is stored whole as a blob; the event carries the head of its JSON as a string.</summary>
    private NewEvent ToolCallEvent(ToolCallRequested call)
    {
        var input = call.Input;
        if (FitsWhole(input))
            return EventFactory.Create(Id, EventTypes.ToolCall, EventFactory.AgentActor, new ToolCallData(call.ToolUseId, call.Name, input), OverseerJson.Default.ToolCallData);
        var shown = Preview(input.GetRawText());
        if (shown.Blob is not null)
            input = JsonSerializer.SerializeToElement(shown.Text, OverseerJson.Default.String);
        return EventFactory.Create(Id, EventTypes.ToolCall, EventFactory.AgentActor,
            new ToolCallData(call.ToolUseId, call.Name, input, Truncated: shown.Truncated, FullLength: shown.FullLength, BlobId: shown.BlobId),
            OverseerJson.Default.ToolCallData, shown.Blob);
    }

    /// <summary>
    /// A fact as the agent reported it, except that a long error message is a preview, and a long
    /// unknown message (kept verbatim) becomes the <see cref="AgentTextData"/> preview of its JSON.
    /// </summary>
    private NewEvent FactEvent(AgentFact fact)
    {
        if (fact.Type == EventTypes.AgentError && ReadError(fact.Data) is { } error && Preview(error.Message) is { Blob: not null } message)
        {
            return EventFactory.Create(Id, fact.Type, EventFactory.AgentActor,
                error with { Message = message.Text, Truncated = message.Truncated, FullLength = message.FullLength, BlobId = message.BlobId },
                OverseerJson.Default.AgentErrorData, message.Blob);
        }
        if (fact.Type == EventTypes.AgentRaw && !FitsWhole(fact.Data) && Preview(fact.Data.GetRawText()) is { Blob: not null } raw)
        {
            return EventFactory.Create(Id, fact.Type, EventFactory.AgentActor,
                new AgentTextData(raw.Text, Truncated: raw.Truncated, FullLength: raw.FullLength, BlobId: raw.BlobId), OverseerJson.Default.AgentTextData, raw.Blob);
        }
        return new NewEvent(Id, fact.Type, EventFactory.AgentActor, fact.Data);
    }

    /// <summary>An error fact in the <see cref="AgentErrorData"/> shape, or null (then it is stored as it came).</summary>
    private static AgentErrorData? ReadError(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return null;
        try
        {
            return data.Deserialize(OverseerJson.Default.AgentErrorData) is { Message: not null } error ? error : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
