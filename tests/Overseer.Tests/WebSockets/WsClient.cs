using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Overseer.TestKit;

namespace Overseer.Tests.WebSockets;

/// <summary>A real ClientWebSocket on <c>/ws</c> that records every message it receives, in order.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private int _ids;
    private int _cursor;

    private WsClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = Task.Run(ReadAsync);
    }

    private readonly List<JsonElement> _received = [];

    /// <summary>Every message received so far, in arrival order.</summary>
    public List<JsonElement> Snapshot()
    {
        lock (_received)
            return [.. _received];
    }

    public static Uri UriOf(TestServer server, string query = "") =>
        new($"ws://{server.Address.Authority}/ws{query}");

    /// <param name="token">Sent as 'Authorization: Bearer'; null sends no header.</param>
    public static async Task<WsClient> ConnectAsync(TestServer server, string? token, string? origin = null, string query = "")
    {
        var socket = CreateSocket(token, origin);
        await socket.ConnectAsync(UriOf(server, query), CancellationToken.None);
        return new WsClient(socket);
    }

    public static ClientWebSocket CreateSocket(string? token, string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }

    public WebSocketState State => _socket.State;

    /// <summary>The reason the server gave in its close frame, once closed.</summary>
    public string? CloseDescription => _socket.CloseStatusDescription;

    public string NextId() => "r" + Interlocked.Increment(ref _ids);

    public Task SendRawAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text));

    public Task SendBytesAsync(byte[] bytes) =>
        _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Sends a message with a fresh id and returns the reply that echoes it; other messages stay unread.</summary>
    public async Task<JsonElement> RequestAsync(string type, object? fields = null)
    {
        var id = NextId();
        await SendRawAsync(Compose(type, id, fields));
        return await FindAsync(from: 0, m => Str(m, "id") == id, $"the reply to {type} {id}", advance: false);
    }

    public Task SendAsync(string type, object? fields = null) => SendRawAsync(Compose(type, null, fields));

    /// <summary>
    /// The first unread message that satisfies <paramref name="match"/>; it and the messages before
    /// it count as read. Replies taken by <see cref="RequestAsync"/> do not move this cursor.
    /// </summary>
    public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what) => FindAsync(_cursor, match, what, advance: true);

    /// <summary>The unread messages up to and including the first that satisfies <paramref name="match"/>.</summary>
    public async Task<List<JsonElement>> ReadUntilAsync(Func<JsonElement, bool> match, string what)
    {
        var from = _cursor;
        await WaitForAsync(match, what);
        lock (_received)
            return _received[from.._cursor];
    }

    private async Task<JsonElement> FindAsync(int from, Func<JsonElement, bool> match, string what, bool advance)
    {
        var deadline = DateTime.UtcNow + DefaultWait;
        var index = from;
        while (true)
        {
            // Read before scanning: a message that arrived before the close is then always seen.
            var closed = _closed.Task.IsCompleted;
            lock (_received)
            {
                for (; index < _received.Count; index++)
                {
                    if (match(_received[index]))
                    {
                        if (advance)
                            _cursor = index + 1;
                        return _received[index];
                    }
                }
            }
            if (closed)
                throw new InvalidOperationException($"The socket closed ({_socket.CloseStatus}) while waiting for {what}; received:\n{Dump()}");
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
                throw new TimeoutException($"Timed out waiting for {what}; received:\n{Dump()}");
        }
    }

    private string Dump()
    {
        lock (_received)
            return string.Join("\n", _received.Select(m => m.GetRawText()));
    }

    /// <summary>Waits for the server to close the socket and returns its close status.</summary>
    public Task<WebSocketCloseStatus?> ClosedAsync() => _closed.Task.WaitAsync(DefaultWait);

    public static string? Str(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool IsAgentEvent(JsonElement message, string eventType) =>
        Str(message, "type") == "agent_message" && message.GetProperty("event").GetProperty("type").GetString() == eventType;

    public static bool IsError(JsonElement message, string code) =>
        Str(message, "type") == "error" && Str(message, "code") == code;

    private static string Compose(string type, string? id, object? fields)
    {
        var body = fields is null ? new Dictionary<string, JsonElement>() :
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(fields, JsonSerializerOptions.Web))!;
        var all = new Dictionary<string, object?> { ["type"] = type };
        if (id is not null)
            all["id"] = id;
        foreach (var (key, value) in body)
            all[key] = value;
        return JsonSerializer.Serialize(all);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _closed.TrySetResult(result.CloseStatus);
                        if (_socket.State == WebSocketState.CloseReceived)
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                var element = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                lock (_received)
                    _received.Add(element);
                _arrived.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(null);
        }
        finally
        {
            _closed.TrySetResult(null);
            _arrived.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
                await _closed.Task.WaitAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // The server may be gone already.
            }
        }
        _socket.Abort();
        await _reading;
        _socket.Dispose();
    }
}
