using Microsoft.Extensions.Options;

namespace Overseer.Core.Scheduling;

/// <summary>
/// Admits queued sessions into a bounded number of active slots, highest priority first, then
/// oldest. A follow-up to a conversation already under way is never made to wait behind new
/// work: it takes a slot even when all are in use. A session held on a person gives its slot
/// up; answered, it takes a free one or goes back in the queue at its priority.
/// </summary>
public sealed class SessionScheduler(IOptions<SchedulingOptions> options)
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<string, (int NegativePriority, long Order)> _queue = new();
    private readonly HashSet<string> _active = new(StringComparer.Ordinal);
    private long _order;
    private bool _stopped;
    private Func<string, Task>? _start;

    public int MaxConcurrent => options.Value.MaxConcurrent;

    public int ActiveCount
    {
        get { lock (_gate) return _active.Count; }
    }

    public int QueuedCount
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Sets what starting a dispatched session means (the session manager).</summary>
    public void OnDispatch(Func<string, Task> start) => _start = start;

    public void Enqueue(string sessionId, int priority)
    {
        lock (_gate)
            _queue.Enqueue(sessionId, (-priority, _order++));
        Dispatch();
    }

    /// <summary>Takes a queued session off the queue (cancelled before it started).</summary>
    public bool Remove(string sessionId)
    {
        lock (_gate)
            return _queue.Remove(sessionId, out _, out _, StringComparer.Ordinal);
    }

    /// <summary>Moves a queued session to its new priority, keeping its place among sessions of that priority by arrival.</summary>
    public void Reprioritize(string sessionId, int priority)
    {
        lock (_gate)
        {
            if (!_queue.Remove(sessionId, out _, out var key, StringComparer.Ordinal))
                return;
            _queue.Enqueue(sessionId, (-priority, key.Order));
        }
    }

    public bool IsActive(string sessionId)
    {
        lock (_gate)
            return _active.Contains(sessionId);
    }

    /// <summary>Where a queued session stands: its place in line (1 is next) and the slots in use; null when it is not queued.</summary>
    public QueuePlace? PlaceOf(string sessionId)
    {
        lock (_gate)
        {
            (int, long)? mine = null;
            foreach (var (id, key) in _queue.UnorderedItems)
            {
                if (string.Equals(id, sessionId, StringComparison.Ordinal))
                    mine = key;
            }
            if (mine is not { } own)
                return null;
            var ahead = _queue.UnorderedItems.Count(item => _queue.Comparer.Compare(item.Priority, own) < 0);
            return new QueuePlace(ahead + 1, _active.Count, MaxConcurrent);
        }
    }

    /// <summary>Takes a slot if one is free and nobody is queued for it; otherwise the caller queues.</summary>
    public bool TryAcquire(string sessionId)
    {
        lock (_gate)
        {
            if (_active.Contains(sessionId))
                return true;
            if (_stopped || _active.Count >= MaxConcurrent || _queue.Count > 0)
                return false;
            _active.Add(sessionId);
            return true;
        }
    }

    public void MarkActive(string sessionId)
    {
        lock (_gate)
            _active.Add(sessionId);
    }

    public void MarkInactive(string sessionId)
    {
        bool removed;
        lock (_gate)
            removed = _active.Remove(sessionId);
        if (removed)
            Dispatch();
    }

    /// <summary>Stops starting sessions (shutdown); queued ones stay queued in the store.</summary>
    public void Stop()
    {
        lock (_gate)
            _stopped = true;
    }

    private void Dispatch()
    {
        while (true)
        {
            string next;
            lock (_gate)
            {
                if (_stopped || _start is null || _active.Count >= MaxConcurrent || !_queue.TryDequeue(out next!, out _))
                    return;
                _active.Add(next);
            }
            _ = _start(next);
        }
    }
}

public sealed record QueuePlace(int Position, int SlotsBusy, int Slots);
