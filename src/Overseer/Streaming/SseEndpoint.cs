using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Net.Http.Headers;
using Overseer.Contracts.Events;

namespace Overseer.Streaming;

/// <summary>
/// Writes an event stream as server-sent events: <c>id:</c> is the event's global seq and
/// <c>data:</c> the envelope JSON, serialised once per event for all subscribers.
/// </summary>
public static class SseEndpoint
{
    private static readonly byte[] IdPrefix = "id: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    /// <summary>
    /// The position to resume after: <c>Last-Event-ID</c> wins over <c>?after=</c>; <paramref name="fallback"/>
    /// when neither is given; null when malformed.
    /// </summary>
    public static long? ResumePosition(HttpRequest request, long fallback)
    {
        var raw = request.Headers["Last-Event-ID"].FirstOrDefault() ?? request.Query["after"].FirstOrDefault();
        if (string.IsNullOrEmpty(raw))
            return fallback;
        return long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var after) ? after : null;
    }

    /// <summary>
    /// Starts an event-stream response (no caching, no proxy buffering) and returns a token that
    /// ends when the client goes or the server stops, or shutdown would wait on every open stream.
    /// </summary>
    public static CancellationTokenSource Begin(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers[HeaderNames.CacheControl] = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
    }

    public static async Task WriteAsync(HttpContext context, EventStreamReader reader, long afterSeq, IReadOnlySet<string>? sessions)
    {
        using var linked = Begin(context);
        var cancellationToken = linked.Token;
        var body = context.Response.BodyWriter;
        await body.WriteAsync(": connected\n\n"u8.ToArray(), cancellationToken);
        await body.FlushAsync(cancellationToken);

        try
        {
            await foreach (var item in reader.ReadAsync(afterSeq, sessions, cancellationToken))
            {
                switch (item.Kind)
                {
                    case StreamItemKind.Event:
                        WriteEvent(body, item.Event!);
                        // Keep a large backlog from piling up in memory before the first flush.
                        if (body.UnflushedBytes > 64 * 1024)
                            await body.FlushAsync(cancellationToken);
                        break;
                    case StreamItemKind.Drained:
                        await body.FlushAsync(cancellationToken);
                        break;
                    case StreamItemKind.Heartbeat:
                        body.Write(HeartbeatComment);
                        await body.FlushAsync(cancellationToken);
                        break;
                    case StreamItemKind.Behind:
                        WriteBehind(body);
                        await body.FlushAsync(cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static void WriteEvent(IBufferWriter<byte> body, EventEnvelope e)
    {
        body.Write(IdPrefix);
        var span = body.GetSpan(20);
        e.Seq.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
        body.Advance(written);
        body.Write(DataPrefix);
        body.Write(e.Utf8Json.Span);
        body.Write(EventEnd);
    }

    // No id: a client that reconnects resumes after the last real event it saw.
    private static void WriteBehind(IBufferWriter<byte> body) =>
        body.Write(Encoding.UTF8.GetBytes($"data: {{\"type\":\"{EventTypes.StreamBehind}\",\"data\":{{\"reason\":\"the subscriber fell behind; continuing from the store\"}}}}\n\n"));
}
