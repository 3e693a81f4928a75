using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Schedules;

/// <summary>
/// Wakes the schedule and retry loops when a committed batch changes what they wait on: a session
/// that stopped working (a queued run may start, an overlap has ended), a failure (a retry to
/// plan), a retry's bookkeeping. Told on the store's writer thread: it only sets flags.
/// </summary>
public sealed class RunSignals : ICommitObserver
{
    public Wakeup Schedules { get; } = new();

    public Wakeup Retries { get; } = new();

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            switch (batch[i].Type)
            {
                case EventTypes.SessionFailed:
                    Retries.Set();
                    Schedules.Set();
                    break;
                case EventTypes.SessionIdle or EventTypes.SessionCompleted or EventTypes.SessionCancelled or EventTypes.SessionInterrupted:
                    Schedules.Set();
                    break;
                case var type when EventTypes.IsRetry(type):
                    Retries.Set();
                    Schedules.Set();
                    break;
            }
        }
    }
}
