using Overseer.Core.Budgets;
using Overseer.Core.Scheduling;

namespace Overseer.Core.Sessions;

/// <summary>
/// Queued sessions a spent budget keeps from starting. They leave the queue (their slot goes to the
/// next) and go back into it, at their priority, when budgets change, an overrun is approved, or the
/// next UTC day begins (a day's or month's spend starts again at midnight); each is checked again
/// when the queue admits it.
/// </summary>
internal sealed class BudgetHolds(SessionScheduler scheduler, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private ITimer? _midnight;
    private long _releases;

    /// <summary>Counts releases: a session checked before a release and held after it goes straight back.</summary>
    public long Version
    {
        get { lock (_gate) return _releases; }
    }

    /// <summary>Holds a session that was checked at <paramref name="checkedAt"/> (a <see cref="Version"/>).</summary>
    public void Hold(string sessionId, int priority, long checkedAt)
    {
        lock (_gate)
        {
            if (checkedAt == _releases)
            {
                _held[sessionId] = priority;
                _midnight ??= time.CreateTimer(_ => ReleaseAll(), null, BudgetWindow.NextBoundary(time.GetUtcNow()) - time.GetUtcNow(), Timeout.InfiniteTimeSpan);
                return;
            }
        }
        // Budgets changed while it was being checked: it goes back in line to be checked again.
        scheduler.Enqueue(sessionId, priority);
    }

    /// <summary>Puts one held session back in the queue (an overrun was approved for it).</summary>
    public void Release(string sessionId)
    {
        int priority;
        lock (_gate)
        {
            if (!_held.Remove(sessionId, out priority))
                return;
        }
        scheduler.Enqueue(sessionId, priority);
    }

    /// <summary>Puts every held session back in the queue.</summary>
    public void ReleaseAll()
    {
        KeyValuePair<string, int>[] released;
        lock (_gate)
        {
            _releases++;
            released = [.. _held];
            _held.Clear();
            _midnight?.Dispose();
            _midnight = null;
        }
        foreach (var (id, priority) in released)
            scheduler.Enqueue(id, priority);
    }
}
