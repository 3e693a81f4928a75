using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// A session's live SSE stream that survives dropped connections: it reconnects with
/// <c>Last-Event-ID</c> set to the last seq it yielded and skips anything at or below it,
/// so the caller sees every event once, in order.
/// </summary>
public sealed class EventStream(OverseerClient client, string sessionId, Action<string>? onReconnect = null)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <summary>The server sends a heartbeat every 15 s; silence this long means a dead connection.</summary>
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(45);

    public long LastSeq { get; private set; }

    public async IAsyncEnumerable<(EventEnvelope Event, string Json)> ReadAsync(long after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        LastSeq = after;
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpResponseMessage? response = null;
            Stream? body = null;
            string? dropped = null;
            try
            {
                response = await client.OpenStreamAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/stream", LastSeq, cancellationToken);
                body = await response.Content.ReadAsStreamAsync(cancellationToken);
            }
            catch (CliException ex) when (ex.ExitCode == ExitCodes.Unreachable)
            {
                dropped = ex.Message;
            }
            if (body is not null)
            {
                using (response)
                using (var reader = new StreamReader(body, Encoding.UTF8))
                {
                    var messages = ReadMessagesAsync(reader, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    while (true)
                    {
                        string? data;
                        try
                        {
                            if (!await messages.MoveNextAsync())
                            {
                                dropped = "the server closed the stream";
                                break;
                            }
                            data = messages.Current;
                        }
                        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                        {
                            dropped = ex is OperationCanceledException ? $"nothing heard for {Silence.TotalSeconds:0} s" : ex.Message;
                            break;
                        }
                        var envelope = JsonSerializer.Deserialize(data, OverseerJson.Default.EventEnvelope);
                        // stream.behind carries no seq: the server re-reads from its store and carries on.
                        if (envelope is null || envelope.Seq <= LastSeq)
                            continue;
                        LastSeq = envelope.Seq;
                        backoff = TimeSpan.FromMilliseconds(250);
                        yield return (envelope, data);
                    }
                    await messages.DisposeAsync();
                }
            }
            if (cancellationToken.IsCancellationRequested)
                yield break;
            onReconnect?.Invoke($"stream dropped ({dropped}); reconnecting after seq {LastSeq.ToString(CultureInfo.InvariantCulture)}");
            await Task.Delay(backoff, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>The <c>data:</c> of each SSE message; comments (heartbeats) and ids are left to the envelope's own seq.</summary>
    private static async IAsyncEnumerable<string> ReadMessagesAsync(StreamReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var data = new StringBuilder();
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            silence.CancelAfter(Silence);
            if (await reader.ReadLineAsync(silence.Token) is not { } line)
                yield break;
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return data.ToString();
                    data.Clear();
                }
                continue;
            }
            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                    data.Append('\n');
                data.Append(line.AsSpan(line.Length > 5 && line[5] == ' ' ? 6 : 5));
            }
        }
    }
}
