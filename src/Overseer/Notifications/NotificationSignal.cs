using System.Threading.Channels;
using Overseer.Contracts.Events;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// Wakes the dispatcher when a committed batch left something in the outbox (or a delivery
/// finished, or a dead notification was put back). Told on the store's writer thread: it only
/// sets a flag, never waits.
/// </summary>
internal sealed class NotificationSignal : ICommitObserver
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (NotificationKinds.Caused(batch[i].Type))
            {
                Wake();
                return;
            }
        }
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or for <paramref name="delay"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_wake.Reader.TryRead(out _))
            return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        try
        {
            await _wake.Reader.WaitToReadAsync(timeout.Token);
            _wake.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The delay passed: time to look at what has become due.
        }
    }
}
