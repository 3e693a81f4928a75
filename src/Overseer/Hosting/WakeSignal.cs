using System.Threading.Channels;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Hosting;

/// <summary>
/// Wakes a background worker when a committed batch holds an event it cares about (or when told
/// directly), and lets it sleep until then or a deadline. Told on the store's writer thread: it
/// only sets a flag, never waits. Wake-ups while the worker is busy fold into one.
/// </summary>
internal abstract class WakeSignal : ICommitObserver
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Whether an event of this type is worth waking the worker for.</summary>
    protected abstract bool Wakes(string eventType);

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (Wakes(batch[i].Type))
            {
                Wake();
                return;
            }
        }
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or for <paramref name="delay"/> on <paramref name="time"/>'s clock, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _))
            return;
        using var timer = new CancellationTokenSource(delay, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _wake.Reader.WaitToReadAsync(either.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The delay passed: time to look at what has become due.
        }
    }
}
