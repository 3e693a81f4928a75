namespace Overseer.Bench.Load;

/// <summary>A client following the event stream: an SSE subscriber or a WebSocket joined to the project.</summary>
public interface IStreamClient : IAsyncDisposable
{
    int Index { get; }

    StreamTally Tally { get; }

    /// <summary>Starts counting afresh: what arrived so far (the warm-up) is forgotten, and only
    /// events stamped after now count as live.</summary>
    void ResetTally();

    /// <summary>Why the stream stopped before the benchmark stopped it, if it did.</summary>
    string? Failure { get; }

    bool IsFinished { get; }

    SessionReceipts? ReceiptsFor(string sessionId);
}
