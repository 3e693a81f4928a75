using System.Diagnostics;

namespace Overseer.Core.Telemetry;

/// <summary>
/// One session's open spans: its turn and the tool calls that were allowed and have not yet
/// returned. Owned by the session's actor; only <see cref="Context"/> is read from elsewhere (the
/// gate runs off the actor), and a stale read there only parents a call to the previous turn.
/// </summary>
internal sealed class TurnTrace(string sessionId)
{
    private volatile Activity? _turn;
    private readonly Dictionary<string, Activity> _running = new(StringComparer.Ordinal);

    public ActivityContext Context => _turn?.Context ?? default;

    /// <summary>
    /// Makes the turn the current span of the calling async method, so what the agent starts from
    /// it (a loop's model calls) nests under the turn. The method's return restores its caller's.
    /// </summary>
    public void Enter()
    {
        if (_turn is { } turn)
            Activity.Current = turn;
    }

    public void Begin(string runtime, string? model)
    {
        End(error: null, interrupted: true);
        _turn = SessionTracing.StartTurn(sessionId, runtime, model);
    }

    /// <summary>An allowed call runs on: its span ends with its result. A denied one ends here.</summary>
    public void Decided(string toolUseId, Activity? call, bool allowed)
    {
        if (call is null)
            return;
        if (allowed && _turn is not null)
            _running[toolUseId] = call;
        else
            call.Stop();
    }

    public void ToolReturned(string toolUseId, bool isError)
    {
        if (!_running.Remove(toolUseId, out var call))
            return;
        if (isError)
            call.SetStatus(ActivityStatusCode.Error, "the tool failed");
        call.Stop();
    }

    public void End(string? error, bool interrupted, long inputTokens = 0, long outputTokens = 0, decimal costUsd = 0)
    {
        foreach (var call in _running.Values)
            call.Stop();
        _running.Clear();
        if (_turn is not { } turn)
            return;
        _turn = null;
        turn.Tag("gen_ai.usage.input_tokens", inputTokens);
        turn.Tag("gen_ai.usage.output_tokens", outputTokens);
        turn.Tag("overseer.cost_usd", (double)costUsd);
        if (interrupted)
            turn.Tag("overseer.turn.interrupted", true);
        if (error is not null)
            turn.SetStatus(ActivityStatusCode.Error, error);
        turn.Stop();
    }
}
