namespace Overseer.Core.Schedules;

/// <summary>
/// Wakes a background loop early: <see cref="Set"/> is remembered until the loop's next
/// <see cref="Reset"/>, so a change made while the loop was busy is never missed. The wait is on
/// the <see cref="TimeProvider"/>'s timer, so tests move it with a fake clock.
/// </summary>
public sealed class Wakeup
{
    /// <summary>The longest single wait: the loop looks again at least this often (a clock that jumped, a far slot).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => Volatile.Read(ref _signal).TrySetResult();

    /// <summary>Forgets a wake-up already seen; call before looking at the work, so one that comes after is kept.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _signal);
        if (current.Task.IsCompleted)
            Interlocked.CompareExchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
    }

    /// <summary>Waits for a wake-up, or for <paramref name="delay"/> (at most <see cref="MaxWait"/>) on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan? delay, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal).Task;
        if (signal.IsCompleted)
            return;
        var wait = delay is { } d ? (d < TimeSpan.Zero ? TimeSpan.Zero : d > MaxWait ? MaxWait : d) : MaxWait;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(wait, time, stop.Token);
        await Task.WhenAny(signal, timer);
        await stop.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
