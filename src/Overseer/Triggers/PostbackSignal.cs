using System.Threading.Channels;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Triggers;

/// <summary>
/// Wakes the post-back worker when a committed batch settles a session (its turn done, completed,
/// failed or cancelled), or a delivery starts one. Told on the store's writer thread: it only
/// sets a flag, never waits.
/// </summary>
internal sealed class PostbackSignal : ICommitObserver
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void OnCommitted(IReadOnlyList<EventEnvelope> batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Type is EventTypes.SessionIdle or EventTypes.SessionCompleted or EventTypes.SessionFailed or EventTypes.SessionCancelled)
            {
                Wake();
                return;
            }
        }
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Waits for a wake-up or for <paramref name="delay"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
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
