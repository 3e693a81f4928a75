using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// One WebSocket client on <c>/ws</c> (Bearer header, the server's own Origin) joined to a
/// project: every <c>agent_message</c> frame's <c>event</c> is tallied like an SSE event.
/// </summary>
public sealed class WsSubscriber : IStreamClient
{
    private readonly Uri _wsUri;
    private readonly string _origin;
    private readonly string _token;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private byte[] _frame = new byte[64 * 1024];
    private Task _readLoop = Task.CompletedTask;
    private bool _disposed;
    private readonly int _eventsPerSession;

    public WsSubscriber(int index, Uri baseUri, string token, int eventsPerSession)
    {
        Index = index;
        _wsUri = new UriBuilder(new Uri(baseUri, "ws")) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws" }.Uri;
        _origin = baseUri.GetLeftPart(UriPartial.Authority);
        _token = token;
        _eventsPerSession = eventsPerSession;
        Tally = new StreamTally(eventsPerSession, stampedOnly: true);
    }

    public int Index { get; }

    public StreamTally Tally { get; private set; }

    public string? Failure { get; private set; }

    public bool IsFinished => _readLoop.IsCompleted;

    public void ResetTally() => Tally = new StreamTally(_eventsPerSession, stampedOnly: true) { ConnectTicks = DateTimeOffset.UtcNow.UtcTicks };

    public SessionReceipts? ReceiptsFor(string sessionId) => Tally.ReceiptsFor(sessionId);

    /// <summary>Connects, joins <paramref name="projectId"/> and waits for <c>project_joined</c>; then reads in the background.</summary>
    public async Task JoinAsync(string projectId, CancellationToken ct)
    {
        _socket.Options.SetRequestHeader("Authorization", "Bearer " + _token);
        _socket.Options.SetRequestHeader("Origin", _origin);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        await _socket.ConnectAsync(_wsUri, timeout.Token);
        Tally.ConnectTicks = DateTimeOffset.UtcNow.UtcTicks;
        var join = Encoding.UTF8.GetBytes($$"""{"type":"project_join","id":"j","projectId":"{{projectId}}"}""");
        await _socket.SendAsync(join, WebSocketMessageType.Text, true, timeout.Token);
        while (true)
        {
            var length = await ReceiveFrameAsync(timeout.Token);
            if (length < 0)
                throw new InvalidOperationException($"websocket {Index}: closed before project_joined");
            var type = TypeOf(_frame.AsSpan(0, length));
            if (type == "project_joined")
                break;
            if (type == "error")
                throw new InvalidOperationException($"websocket {Index}: project_join answered {Encoding.UTF8.GetString(_frame, 0, length)}");
        }

        _readLoop = ReadLoopAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        await _stop.CancelAsync();
        try
        {
            await _readLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var length = await ReceiveFrameAsync(ct);
                if (length < 0)
                {
                    Failure = "the server closed the socket";
                    return;
                }

                var now = DateTimeOffset.UtcNow.UtcTicks;
                if (EventOf(_frame.AsSpan(0, length), out var start, out var eventLength))
                    Tally.Record(_frame.AsSpan(start, eventLength), now);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            if (!ct.IsCancellationRequested)
                Failure = ex.Message;
        }
    }

    /// <summary>One whole text frame into <see cref="_frame"/>; its length, or -1 when the socket closed.</summary>
    private async Task<int> ReceiveFrameAsync(CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            if (length == _frame.Length)
                Array.Resize(ref _frame, _frame.Length * 2);
            var result = await _socket.ReceiveAsync(_frame.AsMemory(length), ct);
            if (result.MessageType == WebSocketMessageType.Close)
                return -1;
            length += result.Count;
            if (result.EndOfMessage)
                return length;
        }
    }

    private static string? TypeOf(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType)
                return reader.GetString();
            reader.Skip();
        }

        return null;
    }

    /// <summary>Where the <c>event</c> object of an <c>agent_message</c> frame lies.</summary>
    private static bool EventOf(ReadOnlySpan<byte> frame, out int start, out int length)
    {
        start = length = 0;
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        var isAgentMessage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                isAgentMessage = reader.ValueTextEquals("agent_message"u8);
                if (!isAgentMessage)
                    return false;
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                start = (int)reader.TokenStartIndex;
                reader.Skip();
                length = (int)reader.BytesConsumed - start;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return isAgentMessage && length > 0;
    }
}
