using System.Net.Http.Headers;

namespace Overseer.Bench.Load;

/// <summary>
/// One client of <c>GET /api/stream</c> on its own connection. Splits the SSE byte stream into
/// messages itself (one reusable buffer, no per-line strings) and records, per event, the latency
/// from the envelope's <c>ts</c> to the moment its bytes were read, plus which agent.text texts arrived.
/// </summary>
public sealed class SseSubscriber : IStreamClient
{
    private readonly HttpClient _http;
    private readonly Uri _streamUri;
    private readonly string _token;
    private readonly CancellationTokenSource _stop = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private byte[] _data = new byte[4 * 1024];
    private int _dataLength;
    private Task _readLoop = Task.CompletedTask;
    private bool _disposed;
    private readonly int _eventsPerSession;
    private readonly bool _stampedOnly;

    public SseSubscriber(int index, Uri baseUri, string token, int eventsPerSession, bool stampedOnly = false)
    {
        Index = index;
        _streamUri = new Uri(baseUri, "api/stream");
        _token = token;
        _eventsPerSession = eventsPerSession;
        _stampedOnly = stampedOnly;
        Tally = new StreamTally(eventsPerSession, stampedOnly);
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public int Index { get; }

    /// <summary>What this subscriber received.</summary>
    public StreamTally Tally { get; private set; }

    /// <summary>SSE comments (the server's <c>: heartbeat</c> and <c>: connected</c>).</summary>
    public long Heartbeats { get; private set; }

    /// <summary>Why the stream stopped before the benchmark stopped it, if it did.</summary>
    public string? Failure { get; private set; }

    public bool IsFinished => _readLoop.IsCompleted;

    public void ResetTally() => Tally = new StreamTally(_eventsPerSession, _stampedOnly) { ConnectTicks = DateTimeOffset.UtcNow.UtcTicks };

    public SessionReceipts? ReceiptsFor(string sessionId) => Tally.ReceiptsFor(sessionId);

    /// <summary>Sends the request and waits for the response headers; then reads in the background.</summary>
    public async Task ConnectAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _streamUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Tally.ConnectTicks = DateTimeOffset.UtcNow.UtcTicks;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException($"subscriber {Index}: no response headers from GET /api/stream within 15 s");
        }

        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new InvalidOperationException($"subscriber {Index}: GET /api/stream answered {(int)response.StatusCode}: {body}");
        }

        var stream = await response.Content.ReadAsStreamAsync(ct);
        _readLoop = ReadLoopAsync(response, stream, _stop.Token);
    }

    /// <summary>Stops reading; safe to call more than once. The counters are final afterwards.</summary>
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

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync(HttpResponseMessage response, Stream stream, CancellationToken ct)
    {
        using var _ = response;
        await using var __ = stream;
        try
        {
            while (true)
            {
                MakeRoom();
                var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
                if (read == 0)
                {
                    Failure = "the server closed the stream";
                    return;
                }

                _end += read;
                // One clock read per chunk: every message in it arrived when this read returned.
                ProcessLines(DateTimeOffset.UtcNow.UtcTicks);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            if (!ct.IsCancellationRequested)
                Failure = ex.Message;
        }
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2); // one line longer than the buffer
            }
        }
    }

    private void ProcessLines(long nowTicks)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline < 0)
                return;
            var line = pending[..newline];
            _start += newline + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
                line = line[..^1];

            if (line.IsEmpty)
            {
                if (_dataLength > 0)
                    Tally.Record(_data.AsSpan(0, _dataLength), nowTicks);
                _dataLength = 0;
            }
            else if (line[0] == (byte)':')
            {
                Heartbeats++;
            }
            else if (line.StartsWith("data:"u8))
            {
                var value = line[5..];
                if (value.Length > 0 && value[0] == (byte)' ')
                    value = value[1..];
                AppendData(value);
            }

            // id:, event: and retry: lines are not needed: the envelope carries its own seq.
        }
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        var needed = _dataLength + value.Length + 1;
        if (needed > _data.Length)
            Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
        if (_dataLength > 0)
            _data[_dataLength++] = (byte)'\n'; // several data: lines form one message
        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
    }
}
