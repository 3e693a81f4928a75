using System.Globalization;
using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.Scripted;

/// <summary>
/// Plays one turn at a time: the script on the first turn, a short reply on every later one.
/// Pause holds it between steps; interrupt cancels the turn.
/// </summary>
internal sealed class ScriptedConnection(AgentStartContext context, IReadOnlyList<ScriptStep>? firstTurn) : IAgentConnection
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopped = new();
    private IReadOnlyList<ScriptStep>? _pendingScript = firstTurn;
    private TaskCompletionSource _resumed = Completed();
    private CancellationTokenSource? _turn;
    private Task _playing = Task.CompletedTask;
    private bool _announced;
    private int _toolCounter;

    private IAgentSink Sink => context.Sink;

    public Task SendAsync(string text, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_playing.IsCompleted)
                throw new InvalidOperationException("The scripted agent is already working on a turn.");
            var steps = _pendingScript ?? FollowUp(text);
            _pendingScript = null;
            _turn = CancellationTokenSource.CreateLinkedTokenSource(_stopped.Token);
            var token = _turn.Token;
            _playing = Task.Run(() => PlayAsync(steps, token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    public Task InterruptAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            _turn?.Cancel();
        return Task.CompletedTask;
    }

    public Task PauseAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_resumed.Task.IsCompleted)
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return Task.CompletedTask;
    }

    public Task ResumeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            _resumed.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopped.CancelAsync();
        await ResumeAsync(cancellationToken);
        try
        {
            await _playing.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-turn, as asked.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopped.Dispose();
    }

    private async Task PlayAsync(IReadOnlyList<ScriptStep> steps, CancellationToken token)
    {
        try
        {
            if (!_announced)
            {
                _announced = true;
                await Sink.EmitAsync(new AgentStarted(context.AgentSessionId ?? "scripted-" + context.SessionId, context.Model ?? "scripted"), token);
            }
            foreach (var step in steps)
            {
                await HeldAsync(token);
                if (step is FailStep fail)
                {
                    await Sink.EmitAsync(new TurnEnded(fail.Message), token);
                    return;
                }
                await PlayStepAsync(step, token);
            }
            await HeldAsync(token);
            await Sink.EmitAsync(new TurnEnded(), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested && !_stopped.IsCancellationRequested)
        {
            await Sink.EmitAsync(new TurnEnded(Interrupted: true), CancellationToken.None);
        }
        catch (OperationCanceledException) when (_stopped.IsCancellationRequested)
        {
            // The session is ending; nothing more to report.
        }
    }

    private async Task PlayStepAsync(ScriptStep step, CancellationToken token)
    {
        switch (step)
        {
            case SayStep say:
                await Sink.EmitAsync(new AgentTextEmitted(say.Text), token);
                break;
            case ThinkStep think:
                await Sink.EmitAsync(new AgentThinkingEmitted(think.Text), token);
                break;
            case SleepStep sleep:
                await Task.Delay(sleep.Milliseconds, token);
                break;
            case PhaseStep phase:
                await Sink.EmitAsync(new PhaseStarted(phase.Name, phase.Index, phase.Total), token);
                break;
            case ProgressStep progress:
                await Sink.EmitAsync(new StepUpdated(progress.Percent, progress.Text, progress.Step, progress.Steps), token);
                break;
            case UsageStep usage:
                await Sink.EmitAsync(new UsageReported(usage.Model ?? context.Model, usage.InputTokens, usage.OutputTokens, 0, usage.CostUsd), token);
                break;
            case ToolStep tool:
                var toolUseId = "toolu_scripted_" + Interlocked.Increment(ref _toolCounter).ToString(CultureInfo.InvariantCulture);
                await Sink.EmitAsync(new ToolCallRequested(toolUseId, tool.Name, tool.Input), token);
                var allowed = await Sink.RequestToolAsync(new Agents.ToolRequest(toolUseId, tool.Name, tool.Input), token);
                await Sink.EmitAsync(allowed.Allowed
                    ? new ToolResultEmitted(toolUseId, tool.Output ?? "(scripted) ok", tool.IsError)
                    : new ToolResultEmitted(toolUseId, DeniedText(allowed.Reason), true), token);
                break;
            case PlanStep plan:
                var decision = await Sink.RequestReviewAsync(new ReviewRequest("plan", plan.Plan), token);
                await Sink.EmitAsync(new AgentTextEmitted(decision.Approved ? "The plan was approved; carrying on." : $"Changing the plan: {decision.Feedback}"), token);
                break;
            case AskStep ask:
                var answers = await Sink.AskAsync([ask.Question], null, token);
                var answer = answers.TryGetValue(ask.Question.Question, out var a) ? Describe(a) : "(no answer)";
                await Sink.EmitAsync(new AgentTextEmitted($"You answered: {answer}"), token);
                break;
        }
    }

    private async Task HeldAsync(CancellationToken token)
    {
        Task resumed;
        lock (_gate)
            resumed = _resumed.Task;
        await resumed.WaitAsync(token);
        token.ThrowIfCancellationRequested();
    }

    // A person's denial already reads "Denied by admin."; say it once.
    private static string DeniedText(string? reason) =>
        reason is null ? "Denied: not allowed"
        : reason.StartsWith("Denied", StringComparison.Ordinal) ? reason
        : "Denied: " + reason;

    private static string Describe(JsonElement answer) => answer.ValueKind == JsonValueKind.Array
        ? string.Join(", ", answer.EnumerateArray().Select(a => a.GetString()))
        : answer.GetString() ?? "";

    private static IReadOnlyList<ScriptStep> FollowUp(string text) =>
    [
        new SleepStep(50),
        new SayStep($"(scripted agent) I received your message: {text}"),
        new UsageStep(text.Length, 16, 0m, null),
    ];

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
