using System.Net.WebSockets;
using Overseer.WebSockets;

namespace Overseer.Tests.WebSockets;

public sealed class WsOutboxTests
{
    /// <summary>A peer that never takes a frame: every send waits until it is cancelled.</summary>
    private sealed class StalledWebSocket : WebSocket
    {
        private WebSocketState _state = WebSocketState.Open;
        public int Started;

        public override WebSocketCloseStatus? CloseStatus => null;
        public override string? CloseStatusDescription => null;
        public override WebSocketState State => _state;
        public override string? SubProtocol => null;

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Started);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public override void Abort() => _state = WebSocketState.Aborted;
        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();
        public override void Dispose() { }
    }

    [Fact]
    public async Task Outbox_ClientStopsReading_QueueStaysBoundedAndTheSendTimesOut()
    {
        var socket = new StalledWebSocket();
        var outbox = new WsOutbox(socket, capacity: 16, sendTimeout: TimeSpan.FromMilliseconds(300));
        var writing = outbox.RunAsync(CancellationToken.None);
        var frame = new byte[] { (byte)'{', (byte)'}' };

        var accepted = 0;
        while (outbox.TrySend(frame) && accepted < 1000)
            accepted++;
        // The queue plus the one frame stuck in SendAsync: a producer is refused, never made to wait.
        accepted.ShouldBeLessThanOrEqualTo(17);

        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        socket.State.ShouldBe(WebSocketState.Aborted);
        socket.Started.ShouldBe(1);
        outbox.IsClosing.ShouldBeTrue();
        // A producer that waits for room is released once the connection is given up.
        await outbox.SendAsync(frame, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
    }
}
