using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents.ClaudeCode;

// Reading the CLI: stdout lines become events; stderr is kept within a budget; a watchdog
// notices a turn that has gone silent.
internal sealed partial class ClaudeCodeConnection
{
    private readonly Queue<string> _stderrTail = new();
    private long _lastOutput;
    private volatile bool _turnActive;
    private volatile bool _interruptRequested;
    private volatile bool _paused;
    private volatile bool _stallReported;
    private int _pendingPermissions;
    private int _turnErrors;
    private readonly List<Task> _answers = [];
    private bool _announced;
    private decimal _lastTotalCost;
    private DateTimeOffset? _rateLimitResetsAt;

    private void Touch() => Interlocked.Exchange(ref _lastOutput, Stopwatch.GetTimestamp());

    private async Task ReadStdoutAsync()
    {
        var reader = new BoundedLineReader(_process.StandardOutput.BaseStream, _options.MaxLineBytes);
        var token = _stopped.Token;
        try
        {
            // Said before the agent's first line (off the session's actor, which started us), so
            // a reader knows the wall it ran behind.
            await Sink.EmitAsync(new AgentFact(EventTypes.AgentSandbox, JsonSerializer.SerializeToElement(_sandbox.Report, OverseerJson.Default.AgentSandboxData)), token);
            while (true)
            {
                var line = await reader.ReadAsync(token);
                if (line.IsEnd)
                    break;
                Touch();
                if (line.Line is null)
                {
                    await EmitErrorAsync($"The agent wrote an output line of {line.OverlongBytes} bytes, over the {_options.MaxLineBytes}-byte limit; it was dropped.", "line_too_long");
                    continue;
                }
                if (line.Line.Length == 0)
                    continue;
                foreach (var output in ClaudeMessageParser.ParseLine(line.Line))
                    await HandleAsync(output);
            }
            await _process.WaitForExitAsync(token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        if (!_stopping)
        {
            // An out-of-memory kill may be why it died: say so before the exit.
            await _sandbox.CheckAsync(ReportLimitAsync);
            // The CLI died on its own: whatever it had started must not outlive it.
            OrphanReaper.Signal(OrphanReaper.SessionVariable, _context.SessionId, ProcessGroup.SigKill);
            await _stderrLoop.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
            string? tail;
            lock (_stderrTail)
                tail = _stderrTail.Count == 0 ? null : "Last stderr: " + string.Join(" | ", _stderrTail);
            await Sink.EmitAsync(new AgentExited(_process.ExitCode, tail), CancellationToken.None);
        }
    }

    private async Task HandleAsync(ClaudeOutput output)
    {
        switch (output)
        {
            case EmitOutput { Event: AgentStarted started }:
                // The CLI repeats its init at the start of every turn; the session needs it once per process.
                if (!_announced)
                {
                    _announced = true;
                    await Sink.EmitAsync(started with { ProcessId = _process.Id }, _stopped.Token);
                }
                break;
            case EmitOutput emit:
                await Sink.EmitAsync(emit.Event, _stopped.Token);
                if (emit.Event is ToolResultEmitted toolResult)
                    await _sandbox.CheckOutputAsync(toolResult.Output, ReportLimitAsync);
                break;
            case PermissionRequestOutput request:
                // Answered off the reading loop: the CLI waits, but its other output keeps flowing.
                Interlocked.Increment(ref _pendingPermissions);
                Track(_supervisor.RunAsync("permission answer", () => AnswerPermissionAsync(request), _stopped.Token));
                break;
            case UnsupportedRequestOutput unsupported:
                await RespondErrorAsync(unsupported.RequestId, $"Overseer does not serve '{unsupported.Subtype}' requests.");
                break;
            case BadRequestOutput bad:
                // The CLI waits for an answer to every request, even one that cannot be read.
                if (bad.RequestIdJson is { } id)
                    await RespondErrorAsync(id, bad.Problem, idIsJson: true);
                break;
            case InvalidOutput invalid:
                await EmitErrorAsync(invalid.Message, invalid.Kind);
                break;
            case RateLimitInfoOutput info:
                _rateLimitResetsAt = info.ResetsAt ?? _rateLimitResetsAt;
                await Sink.EmitAsync(new AgentFact("agent.rate_limit", info.Raw), _stopped.Token);
                break;
            case TurnResultOutput result:
                await EndTurnAsync(result);
                break;
        }
    }

    private async Task EndTurnAsync(TurnResultOutput result)
    {
        _turnActive = false;
        var token = _stopped.Token;
        decimal cost = 0;
        if (result.TotalCostUsd is { } total)
        {
            // The CLI reports the process's running total; the turn's cost is the difference.
            cost = total >= _lastTotalCost ? total - _lastTotalCost : total;
            _lastTotalCost = total;
        }
        if (result.InputTokens + result.OutputTokens + result.CacheReadTokens > 0 || cost > 0)
            await Sink.EmitAsync(new UsageReported(result.Model, result.InputTokens, result.OutputTokens, result.CacheReadTokens, cost), token);
        await Sink.EmitAsync(new AgentFact("agent.result", ResultData(result)), token);

        var interrupted = _interruptRequested;
        _interruptRequested = false;
        if (result.IsError && result.ApiErrorStatus == 429)
        {
            var resetsAt = _rateLimitResetsAt;
            _rateLimitResetsAt = null;
            await Sink.EmitAsync(new RateLimited(resetsAt, result.Result ?? "The API answered 429 (rate limited)."), token);
        }
        else if (interrupted)
        {
            await Sink.EmitAsync(new TurnEnded(Interrupted: true), token);
        }
        else if (result.IsError)
        {
            var status = result.ApiErrorStatus is { } s ? $" (API status {s})" : "";
            await Sink.EmitAsync(new TurnEnded((result.Result ?? $"The turn failed: {result.Subtype}") + status), token);
        }
        else
        {
            await Sink.EmitAsync(new TurnEnded(), token);
        }
    }

    private static JsonElement ResultData(TurnResultOutput result)
    {
        var raw = result.Raw;
        long Number(string name) => raw.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
        var data = new JsonObjectBuilder()
            .Add("subtype", result.Subtype)
            .Add("isError", result.IsError)
            .Add("result", result.Result)
            .Add("durationMs", Number("duration_ms"))
            .Add("durationApiMs", Number("duration_api_ms"))
            .Add("numTurns", Number("num_turns"));
        if (result.ApiErrorStatus is { } status)
            data.Add("apiErrorStatus", status);
        if (result.TotalCostUsd is { } cost)
            data.Add("totalCostUsd", JsonDocument.Parse(cost.ToString(System.Globalization.CultureInfo.InvariantCulture)).RootElement);
        return data.Build();
    }

    private async Task ReadStderrAsync()
    {
        // Never ReadLineAsync: one 200 MB line would be held whole, twice (bytes and string).
        var keep = _options.MaxStderrLineBytes / 2;
        var reader = new BoundedLineReader(_process.StandardError.BaseStream, _options.MaxStderrLineBytes, keep);
        long kept = 0;
        long dropped = 0;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(_stopped.Token);
                if (read.IsEnd)
                    break;
                var line = read.Line is { } bytes
                    ? Encoding.UTF8.GetString(bytes)
                    : $"{Encoding.UTF8.GetString(read.Head!)} … [{read.OverlongBytes - read.Head!.Length - read.Tail!.Length} bytes dropped] … {Encoding.UTF8.GetString(read.Tail)}";
                lock (_stderrTail)
                {
                    _stderrTail.Enqueue(line.Length > 300 ? line[..300] : line);
                    if (_stderrTail.Count > 5)
                        _stderrTail.Dequeue();
                }
                if (kept + line.Length > _options.MaxStderrBytes)
                {
                    if (dropped++ == 0)
                        await Sink.EmitAsync(new AgentFact(EventTypes.AgentStderr, new JsonObjectBuilder().Add("text", $"(stderr past {_options.MaxStderrBytes} bytes is not kept)").Build()), _stopped.Token);
                    continue;
                }
                kept += line.Length;
                await Sink.EmitAsync(new AgentFact(EventTypes.AgentStderr, new JsonObjectBuilder().Add("text", line).Build()), _stopped.Token);
                await _sandbox.CheckOutputAsync(line, ReportLimitAsync);
            }
        }
        catch (IOException)
        {
            // The pipe closed under us.
        }
    }

    private async Task WatchSilenceAsync()
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.SilenceTimeout.TotalMilliseconds / 4, 50, 1000));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopped.Token))
            {
                if (!_turnActive || _paused || _stallReported || Volatile.Read(ref _pendingPermissions) > 0)
                    continue;
                var silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastOutput));
                if (silent < _options.SilenceTimeout)
                    continue;
                _stallReported = true;
                await Sink.EmitAsync(new AgentFact("agent.stalled", new JsonObjectBuilder()
                    .Add("silentForMs", (long)silent.TotalMilliseconds)
                    .Add("action", _options.OnSilence == SilenceAction.Interrupt ? "interrupt" : "fail").Build()), _stopped.Token);
                if (_options.OnSilence == SilenceAction.Interrupt)
                {
                    await InterruptAsync(_stopped.Token);
                }
                else
                {
                    _turnActive = false;
                    await Sink.EmitAsync(new TurnEnded($"The agent produced no output for {silent.TotalSeconds:F0} s and was stopped."), _stopped.Token);
                    Signal(ProcessGroup.SigKill);
                }
            }
        }
        catch (AgentGoneException)
        {
            // The reader reports the exit.
        }
    }

    /// <summary>
    /// Records an agent error; the turn's <see cref="ClaudeCodeOptions.MaxAgentErrorsPerTurn"/>th
    /// stops the agent and fails the turn, and later ones are only counted, so junk output
    /// cannot fill the store.
    /// </summary>
    private async Task EmitErrorAsync(string message, string kind)
    {
        var count = Interlocked.Increment(ref _turnErrors);
        var max = _options.MaxAgentErrorsPerTurn;
        if (count > max)
            return;
        await Sink.EmitAsync(AgentError(message, kind), _stopped.Token);
        if (count < max)
            return;
        LogTooManyErrors(_context.SessionId, max);
        _turnActive = false;
        await Sink.EmitAsync(new TurnEnded($"The agent wrote {max} unreadable lines in one turn; it was stopped."), _stopped.Token);
        Signal(ProcessGroup.SigKill);
    }

    private static AgentFact AgentError(string message, string kind) =>
        new(EventTypes.AgentError, JsonSerializer.SerializeToElement(new AgentErrorData(message, kind), OverseerJson.Default.AgentErrorData));

    /// <summary>
    /// A loop that reads this agent failed: say so, end the turn, and stop the agent, so the
    /// session never stays "running" with no one reading its agent.
    /// </summary>
    private async Task OnLoopFaultAsync(string loop, Exception ex)
    {
        var message = AgentLoopSupervisor.Describe(loop, ex);
        _turnActive = false;
        try
        {
            // Said before the kill, so the turn fails for this reason rather than "exited unexpectedly".
            await Sink.EmitAsync(AgentError(message, "overseer_fault"), CancellationToken.None);
            await Sink.EmitAsync(new TurnEnded(message), CancellationToken.None);
        }
        finally
        {
            Signal(ProcessGroup.SigKill);
        }
        // Only the stdout reader reports the exit; when it is the one that failed, say it here.
        if (loop == StdoutLoop)
            await Sink.EmitAsync(new AgentExited(null, message), CancellationToken.None);
    }

    private void Track(Task answer)
    {
        lock (_answers)
            _answers.Add(answer);
        _ = answer.ContinueWith(done =>
        {
            lock (_answers)
                _answers.Remove(done);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
