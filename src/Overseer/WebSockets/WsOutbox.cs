using System.Net.WebSockets;
using System.Threading.Channels;

namespace Overseer.WebSockets;

/// <summary>
/// One connection's bounded queue of outgoing frames and the single loop that writes them, so
/// nothing that produces frames ever waits on the network. Its own producers (replies, project
/// feeds) wait for room, which slows only this connection (a feed's hub subscription then falls
/// behind and re-reads from the store); producers on other connections use <see cref="TrySend"/>.
/// </summary>
internal sealed class WsOutbox(WebSocket socket, int capacity, TimeSpan sendTimeout)
{
    private readonly Channel<ReadOnlyMemory<byte>> _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private (WebSocketCloseStatus Status, string Reason)? _close;
    private int _closing;

    public bool IsClosing => Volatile.Read(ref _closing) == 1;

    /// <summary>Queues a frame, waiting for room; dropped once the connection is closing.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        while (await _queue.Writer.WaitToWriteAsync(cancellationToken))
        {
            if (_queue.Writer.TryWrite(frame))
                return;
        }
    }

    /// <summary>Queues a frame without waiting; false when the queue is full or closed.</summary>
    public bool TrySend(ReadOnlyMemory<byte> frame) => _queue.Writer.TryWrite(frame);

    /// <summary>Sends what is already queued, then the close frame. Only the first call counts.</summary>
    public bool Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1)
            return false;
        _close = (status, reason);
        _queue.Writer.TryComplete();
        return true;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var send = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                // A client that does not read stalls SendAsync once the socket buffers fill:
                // give each frame a deadline instead of holding this connection's memory forever.
                send.CancelAfter(sendTimeout);
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, send.Token);
                send.CancelAfter(Timeout.InfiniteTimeSpan);
            }
            if (_close is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                send.CancelAfter(sendTimeout);
                await socket.CloseOutputAsync(close.Status, close.Reason, send.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // A cancelled send aborts the socket; the receive loop sees that and ends the connection.
            socket.Abort();
        }
        finally
        {
            // Nobody waits for room in a queue that will never drain again.
            Interlocked.Exchange(ref _closing, 1);
            _queue.Writer.TryComplete();
        }
    }
}
