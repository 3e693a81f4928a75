using Overseer.Contracts.Events;

namespace Overseer.Storage;

/// <summary>
/// Told of every committed batch, in commit order, on the writer's thread: implementations must
/// not block (the streaming hub only enqueues).
/// </summary>
public interface ICommitObserver
{
    void OnCommitted(IReadOnlyList<EventEnvelope> batch);
}
