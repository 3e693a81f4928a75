using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;
using Overseer.Streaming;

namespace Overseer.WebSockets;

/// <summary>
/// Enforces <see cref="WebSocketOptions.ExecuteTimeout"/> on a turn started by <c>execute</c>.
/// A turn still going at the deadline is interrupted (the session goes idle and keeps its
/// conversation, so the next execute continues it) and the executing connection, if still open,
/// gets EXECUTION_TIMEOUT. The watch does not end with that connection: closing the socket must
/// not let a runaway turn escape its limit.
/// </summary>
internal static class ExecutionWatch
{
    public static async Task RunAsync(WsServices services, WsOutbox outbox, string? requestId, string projectId, string sessionId, long afterSeq, ActedBy by)
    {
        var timeout = services.Options.ExecuteTimeout;
        using var deadline = new CancellationTokenSource(timeout);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, services.Stopping);
        try
        {
            var session = new HashSet<string>(StringComparer.Ordinal) { sessionId };
            await foreach (var item in services.Reader.ReadAsync(afterSeq, session, cancel.Token))
            {
                if (item.Kind == StreamItemKind.Event && ProjectViews.StatusAfter(item.Event!) is { } status && !ProjectViews.IsBusy(status))
                    return;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !services.Stopping.IsCancellationRequested)
        {
            WsLog.ExecutionTimedOut(services.Logger, sessionId, timeout);
            var result = await services.Sessions.InterruptAsync(sessionId, by);
            var outcome = result.Succeeded
                ? "it was interrupted; the session keeps its conversation and takes the next execute as a follow-up"
                : $"it could not be interrupted ({result.Message})";
            outbox.TrySend(WsFrames.Error(requestId, WsErrorCodes.ExecutionTimeout,
                $"The turn did not finish within {timeout}; {outcome}.", projectId: projectId, sessionId: sessionId));
        }
        catch (OperationCanceledException)
        {
            // The server is stopping; it interrupts every session itself.
        }
        catch (Exception ex)
        {
            WsLog.HandlerFailed(services.Logger, ex, "execution-watch", WsMessageTypes.Execute);
        }
    }
}
