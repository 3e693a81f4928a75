using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// The soak's <c>/ws</c> campaign: one socket at a time, authenticated by the Bearer header (or,
/// now and then, not at all, or by an <c>auth</c> message), with the server's own address as
/// Origin, sending a seeded mix of valid messages and malformed, mistyped and oversized ones.
/// Closes the server is entitled to make (1009 after an oversized message, 1007 after invalid
/// UTF-8, 1008 for an unauthenticated socket) are expected; any other is counted as unexpected.
/// Reconnects after every close.
/// </summary>
internal sealed class WebSocketCampaign(Uri baseUri, string token, string projectDir, SoakStats stats, int seed)
{
    private const long MaxMessages = 5_000_000;
    private const int OversizedBytes = 70 * 1024; // past the default WebSockets:MaxMessageBytes of 64 KiB

    private readonly Garbage _garbage = new(new Random(seed * 31 + 1000));
    private readonly List<string> _projectIds = [];
    private long _sent;

    /// <summary>
    /// Closes the messages sent on this connection so far entitle the server to: the close comes
    /// a few messages after its cause, so this only grows until the next connection.
    /// </summary>
    private readonly HashSet<WebSocketCloseStatus> _mayClose = [];

    /// <summary>1 once this connection's end is counted: the receive loop and a failing send both see it, and it is one close.</summary>
    private int _closeCounted;

    /// <summary>The kind of the last message sent, named in an unexpected close's label: what provoked it.</summary>
    private string _lastKind = "none";

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && _sent < MaxMessages)
        {
            try
            {
                await OneConnectionAsync(stop);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException && !stop.IsCancellationRequested)
            {
                CountClose("abort: " + HttpCampaign.Shorten(ex.Message, 90), Allowed(null));
                await Task.Delay(100, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    private async Task OneConnectionAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        var withHeader = _garbage.Random.Next(10) != 0;
        if (withHeader)
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        socket.Options.SetRequestHeader("Origin", baseUri.GetLeftPart(UriPartial.Authority));
        var wsUri = new UriBuilder(baseUri) { Scheme = baseUri.Scheme == "https" ? "wss" : "ws", Path = "/ws" }.Uri;
        lock (_mayClose)
            _mayClose.Clear();
        _closeCounted = 0;
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        connectTimeout.CancelAfter(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(wsUri, connectTimeout.Token);
        stats.WsConnected();
        if (!withHeader)
        {
            // Without the header the socket has 5 s to authenticate: usually do, sometimes send junk (1008 follows).
            var junk = _garbage.Random.Next(3) == 0;
            if (junk)
                Allow(WebSocketCloseStatus.PolicyViolation);
            var auth = junk ? "{\"type\":\"ping\"}" : $"{{\"type\":\"auth\",\"id\":\"a\",\"token\":\"{token}\"}}";
            await SendTextAsync(socket, Encoding.UTF8.GetBytes(auth), stop);
        }

        var receive = ReceiveLoopAsync(socket, stop);
        try
        {
            // Each connection lives for a bounded number of messages, so connects and closes are exercised too.
            var messages = _garbage.Random.Next(20, 400);
            for (var i = 0; i < messages && socket.State == WebSocketState.Open && !stop.IsCancellationRequested && _sent < MaxMessages; i++)
            {
                await SendOneAsync(socket, stop);
                if (i % 8 == 0)
                    await Task.Delay(_garbage.Random.Next(1, 20), stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (socket.State == WebSocketState.Open)
            {
                using var closeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", closeTimeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // A send failed because the server closed or dropped the socket: the receive loop tells how.
        }
        finally
        {
            // The receive loop ends on the close, an abort or the run's end; never wait on it for long.
            try
            {
                await receive.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                socket.Abort();
                CountClose("no close within 10 s", expected: false);
                await receive;
            }
        }
    }

    private async Task SendOneAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var g = _garbage;
        var id = g.Random.Next(5) == 0 ? g.StringLiteral() : "\"m" + _sent + "\"";
        var project = ProjectLiteral();
        var messageType = WebSocketMessageType.Text;
        byte[] payload;
        var choice = g.Random.Next(24);
        _lastKind = "#" + choice;
        switch (choice)
        {
            case 0 or 1 or 2:
                payload = Utf8($"{{\"type\":\"ping\",\"id\":{id}}}");
                break;
            case 3 or 4:
                payload = Utf8($"{{\"type\":\"project_list\",\"id\":{id}}}");
                break;
            case 5:
                var dir = Path.Combine(projectDir, "ws" + g.Random.Next(3));
                Directory.CreateDirectory(dir);
                payload = Utf8($"{{\"type\":\"project_create\",\"id\":{id},\"path\":{(g.Random.Next(3) == 0 ? g.StringLiteral() : JsonSerializer.Serialize(dir))},\"name\":{g.StringLiteral()}}}");
                break;
            case 6:
                payload = Utf8($"{{\"type\":\"project_join\",\"id\":{id},\"projectId\":{project},\"after\":{g.Pick(["0", "-1", "9223372036854775807", "1e400", "\"x\"", "null"])}}}");
                break;
            case 7:
                payload = Utf8($"{{\"type\":\"project_leave\",\"id\":{id},\"projectId\":{project}}}");
                break;
            case 8:
                payload = Utf8($"{{\"type\":\"get_messages\",\"id\":{id},\"projectId\":{project},\"after\":{g.Pick(["0", "-5", "\"1\"", "99999999999999999999"])},\"limit\":{g.Pick(["1", "0", "-1", "100000", "2147483648"])},\"since\":{g.Pick(["null", "\"2020-01-01T00:00:00Z\"", "\"yesterday\"", "\"9999-12-31T23:59:59Z\""])}}}");
                break;
            case 9 when g.Random.Next(4) == 0: // sessions cost a process each: bounded by chance and by the server's slots
                payload = Utf8($"{{\"type\":\"execute\",\"id\":{id},\"projectId\":{project},\"prompt\":{g.StringLiteral()},\"runtime\":\"scripted\",\"script\":[{{\"say\":\"ws\"}}]}}");
                break;
            case 10:
                payload = Utf8($"{{\"type\":\"agent_kill\",\"id\":{id},\"projectId\":{project}}}");
                break;
            case 11:
                payload = Utf8($"{{\"type\":\"{g.Pick(["approve", "deny", "answer"])}\",\"id\":{id},\"approvalId\":{g.StringLiteral()},\"questionId\":{g.StringLiteral()},\"answers\":{g.Pick(["{}", "[]", "{\"a\":\"\\ud800\"}", "null"])},\"reason\":{g.StringLiteral()}}}");
                break;
            case 12:
                payload = Utf8($"{{\"type\":\"auth\",\"id\":{id},\"token\":{g.Pick(["\"wrong\"", "null", "42", JsonSerializer.Serialize(token)])}}}");
                break;
            case 13: // unknown or mistyped type
                payload = Utf8($"{{\"type\":{g.Pick(["\"nope\"", "42", "null", "[]", "\"PING\"", "\"ping\\u0000\"", "\"\\ud800\""])},\"id\":{id}}}");
                break;
            case 14: // a body of the HTTP kind: wrong types, truncated, deep, random bytes...
                payload = g.Body([("type", "\"" + g.Pick(["ping", "project_list", "project_join", "execute", "get_messages"]) + "\""), ("id", id), ("projectId", project)]).Body;
                break;
            case 15: // lone surrogates and bidi/NUL in every string
                payload = Utf8($"{{\"type\":\"project_join\",\"id\":\"\\ud800\",\"projectId\":\"\\udc00\\u0000\u202e\"}}");
                break;
            case 16 when g.Random.Next(6) == 0: // invalid UTF-8 in a text frame: the server may close 1007
                payload = g.Raw($"{{\"type\":\"ping\",\"id\":\"{Garbage.InvalidUtf8}\"}}");
                break;
            case 17 when g.Random.Next(8) == 0: // oversized: MESSAGE_TOO_LARGE and 1009
                payload = Utf8($"{{\"type\":\"ping\",\"id\":\"{new string('o', OversizedBytes)}\"}}");
                break;
            case 18: // a binary frame
                payload = g.Body([("type", "\"ping\"")]).Body;
                messageType = WebSocketMessageType.Binary;
                break;
            case 19: // just under the limit
                payload = Utf8($"{{\"type\":\"ping\",\"id\":\"{new string('u', g.Random.Next(1, 60_000))}\"}}");
                break;
            default:
                _lastKind = "#default";
                payload = Utf8(g.Pick(["", "{}", "null", "[]", "{\"type\":\"ping\"", "not json", "{\"id\":\"x\"}", "\"ping\""]));
                break;
        }

        // Text that is not UTF-8 (random bytes, UTF-16, invalid sequences) entitles the server to close 1007.
        if (messageType == WebSocketMessageType.Text && !System.Text.Unicode.Utf8.IsValid(payload))
        {
            Allow(WebSocketCloseStatus.InvalidPayloadData);
            Allow(WebSocketCloseStatus.ProtocolError);
        }

        // Past WebSockets:MaxMessageBytes (64 KiB by default): MESSAGE_TOO_LARGE and 1009.
        if (payload.Length > 64 * 1024)
            Allow(WebSocketCloseStatus.MessageTooBig);
        _sent++;
        stats.WsSentOne();
        if (messageType == WebSocketMessageType.Binary)
            await socket.SendAsync(payload, WebSocketMessageType.Binary, true, stop);
        else
            await SendTextAsync(socket, payload, stop);
    }

    // The send loop adds, the receive loop reads: both under the set's lock.
    private void Allow(WebSocketCloseStatus status)
    {
        lock (_mayClose)
            _mayClose.Add(status);
    }

    /// <summary>Whether <paramref name="status"/> (any close at all, when null) is one the messages sent so far entitle the server to.</summary>
    private bool Allowed(WebSocketCloseStatus? status)
    {
        lock (_mayClose)
            return status is { } s ? _mayClose.Contains(s) : _mayClose.Count > 0;
    }

    private void CountClose(string how, bool expected)
    {
        if (Interlocked.Exchange(ref _closeCounted, 1) == 0)
            stats.WsClosed(expected ? how : how + " (after message kind " + _lastKind + ")", expected);
    }

    private string ProjectLiteral()
    {
        lock (_projectIds)
        {
            if (_projectIds.Count > 0 && _garbage.Random.Next(4) != 0)
                return JsonSerializer.Serialize(_projectIds[_garbage.Random.Next(_projectIds.Count)]);
        }

        return _garbage.StringLiteral();
    }

    private static Task SendTextAsync(ClientWebSocket socket, byte[] payload, CancellationToken stop) =>
        socket.SendAsync(payload, WebSocketMessageType.Text, true, stop);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Counts frames and error frames, learns project ids from the answers, and records how the socket ended.</summary>
    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var status = result.CloseStatus ?? WebSocketCloseStatus.Empty;
                    var expected = status == WebSocketCloseStatus.NormalClosure || Allowed(status);
                    CountClose($"{(int)status} {result.CloseStatusDescription}", expected);
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (message.Length > 16 * 1024 * 1024)
                    throw new IOException("a server frame over 16 MB");
                if (!result.EndOfMessage)
                    continue;
                Inspect(message.GetBuffer().AsSpan(0, (int)message.Length));
                message.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
                CountClose("abort: " + HttpCampaign.Shorten(ex.Message, 90), Allowed(null));
        }
    }

    private void Inspect(ReadOnlySpan<byte> frame)
    {
        var isError = false;
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            isError = type == "error";
            if (type == "project_list_response" && root.TryGetProperty("projects", out var projects))
            {
                lock (_projectIds)
                {
                    _projectIds.Clear();
                    // Only this campaign's own projects: killing the agent campaign's sessions would hide stuck ones.
                    foreach (var p in projects.EnumerateArray())
                    {
                        if (p.GetProperty("path").GetString() is { } path && path.StartsWith(projectDir, StringComparison.Ordinal))
                            _projectIds.Add(p.GetProperty("id").GetString()!);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            isError = true; // the server sent something that is not JSON: worth an error count
        }

        stats.WsReceivedOne(isError);
    }
}
