using Microsoft.Extensions.Logging;

namespace Overseer.Core.Agents;

/// <summary>
/// Runs the loops that read an agent (its output, its errors, a permission answer) so that no
/// exception ends one silently: a loop that throws is logged and handed to <c>onFault</c>,
/// which ends the turn and stops the agent. Without this, a faulted reader leaves its session
/// "running" forever, holding a concurrency slot, with nothing in the log.
/// </summary>
internal sealed partial class AgentLoopSupervisor(string sessionId, ILogger logger, Func<string, Exception, Task> onFault)
{
    private int _faulted;

    /// <summary>True once a loop has failed (the agent is being stopped).</summary>
    public bool Faulted => Volatile.Read(ref _faulted) != 0;

    /// <summary>
    /// Runs <paramref name="body"/>; cancellation by <paramref name="stopping"/> is a normal end,
    /// anything else is a fault, reported once per supervisor (the first fault stops the agent).
    /// </summary>
    public async Task RunAsync(string loop, Func<Task> body, CancellationToken stopping)
    {
        try
        {
            await body();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            LogLoopFailed(ex, sessionId, loop);
            if (Interlocked.Exchange(ref _faulted, 1) != 0)
                return;
            try
            {
                await onFault(loop, ex);
            }
            catch (Exception reportFailed)
            {
                // The session may be gone; the log line above is what remains.
                LogFaultNotReported(reportFailed, sessionId, loop);
            }
        }
    }

    /// <summary>The words an <c>agent.error</c> uses for a fault: what failed and why.</summary>
    public static string Describe(string loop, Exception ex) =>
        $"Overseer's {loop} failed ({ex.GetType().Name}: {ex.Message}); the agent was stopped.";

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId}: the agent's {Loop} failed; ending the turn and stopping the agent")]
    private partial void LogLoopFailed(Exception ex, string sessionId, string loop);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {SessionId}: the failure of the agent's {Loop} could not be reported to the session")]
    private partial void LogFaultNotReported(Exception ex, string sessionId, string loop);
}
