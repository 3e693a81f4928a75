using Microsoft.Extensions.Logging;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Whether a runtime on Overseer's own loop can serve sessions (a key, the endpoint answering, the
/// model listed), for <c>/health</c>, <c>overseer doctor</c> and the session forms. Checked at
/// start-up and again in the background once the last check is older than the interval; a reader
/// never waits for the network, except the very first, for a few seconds.
/// </summary>
internal sealed partial class ReadinessMonitor(string runtime, Func<CancellationToken, Task<ModelReadiness>> check, Func<TimeSpan> interval, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private RuntimeStatus? _status;
    private DateTimeOffset _checkedAt;
    private Task? _refresh;

    public RuntimeStatus Current
    {
        get
        {
            Task? refresh;
            lock (_gate)
            {
                if (_refresh is null && (_status is null || time.GetUtcNow() - _checkedAt > interval()))
                    _refresh = Task.Run(RefreshAsync);
                refresh = _refresh;
                if (_status is { } known)
                    return known;
            }
            refresh?.Wait(FirstWait);
            lock (_gate)
                return _status ?? new RuntimeStatus(false, $"checking the {runtime} runtime's endpoint");
        }
    }

    /// <summary>Starts the first check without waiting for it (server start-up).</summary>
    public void Begin()
    {
        lock (_gate)
            _refresh ??= Task.Run(RefreshAsync);
    }

    /// <summary>Checks now (start-up, or a reader found the last check stale).</summary>
    public async Task RefreshAsync()
    {
        RuntimeStatus status;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var readiness = await check(timeout.Token);
            status = new RuntimeStatus(readiness.Ready, readiness.Detail);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCheckFailed(ex, runtime);
            status = new RuntimeStatus(false, "the readiness check failed: " + ex.Message);
        }
        lock (_gate)
        {
            _status = status;
            _checkedAt = time.GetUtcNow();
            _refresh = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Runtime} runtime's readiness check failed")]
    private partial void LogCheckFailed(Exception ex, string runtime);
}
