namespace Overseer.Bench.Load;

/// <summary>A client following the event stream: an SSE subscriber or a WebSocket joined to the project.</summary>
public interface IStreamClient : IAsyncDisposable
{
    int Index { get; }

    StreamTally Tally { get; }

    /// <summary>Why the stream stopped before the benchmark stopped it, if it did.</summary>
    string? Failure { get; }

    bool IsFinished { get; }

    SessionReceipts? ReceiptsFor(string sessionId);
}
