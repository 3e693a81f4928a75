using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Overseer.TestKit;

/// <summary>One message of a server-sent event stream: its id (if any) and its data as JSON.</summary>
public sealed record SseMessage(long? Id, JsonElement Data)
{
    public string Type => Data.GetProperty("type").GetString()!;
    public long Seq => Data.GetProperty("seq").GetInt64();
}

/// <summary>A plain SSE client over HttpClient, as a browser's EventSource would read the stream.</summary>
public sealed class SseClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SseMessage> _messages = Channel.CreateUnbounded<SseMessage>();
    private readonly Task _reading;
    private readonly HttpResponseMessage _response;

    private SseClient(HttpResponseMessage response)
    {
        _response = response;
        _reading = Task.Run(ReadAsync);
    }

    public int Heartbeats { get; private set; }

    public static async Task<SseClient> ConnectAsync(HttpClient client, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseClient(response);
    }

    /// <summary>The next message, or an exception when none arrives in time.</summary>
    public async Task<SseMessage> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No SSE message arrived in time.");
        }
        catch (ChannelClosedException)
        {
            throw new EndOfStreamException("The SSE stream ended.");
        }
    }

    /// <summary>Reads messages until one satisfies <paramref name="until"/>; returns all read, that one included.</summary>
    public async Task<List<SseMessage>> ReadUntilAsync(Func<SseMessage, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var read = new List<SseMessage>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"The awaited SSE message did not arrive; read {read.Count}: {string.Join(", ", read.Select(m => m.Data.TryGetProperty("type", out var t) ? t.GetString() : "?"))}");
            var message = await NextAsync(left);
            read.Add(message);
            if (until(message))
                return read;
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await using var stream = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            long? id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                        _messages.Writer.TryWrite(new SseMessage(id, JsonDocument.Parse(data.ToString()).RootElement.Clone()));
                    id = null;
                    data.Clear();
                }
                else if (line.StartsWith(':'))
                {
                    if (line.Contains("heartbeat", StringComparison.Ordinal))
                        Heartbeats++;
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line.AsSpan(6));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Dropped or closed.
        }
        finally
        {
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        try
        {
            await _reading;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
