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

    public const string LastEventIdHeader = "Last-Event-ID";

    /// <summary>
    /// The position to resume after (see <see cref="TryResumePosition"/>); null when malformed.
    /// </summary>
    public static long? ResumePosition(HttpRequest request, long fallback) =>
        TryResumePosition(request, fallback, out var after, out _) ? after : null;

    /// <summary>
    /// The position to resume after. <c>Last-Event-ID</c> wins over <c>?after=</c>: a browser
    /// reconnects to the same URL, so the header is the newer position. A header that is sent must
    /// be a non-negative whole number, even when empty or blank (EventSource sends none until it has
    /// an id, and the server trims blanks to empty); an empty <c>?after=</c> counts as absent.
    /// When malformed, <paramref name="field"/> names which. <paramref name="fallback"/> when neither is given.
    /// </summary>
    public static bool TryResumePosition(HttpRequest request, long fallback, out long after, out string? field)
    {
        field = null;
        after = fallback;
        if (request.Headers[LastEventIdHeader] is { Count: > 0 } header)
        {
            if (header.Count == 1 && TryParseSeq(header.ToString(), out after))
                return true;
            field = LastEventIdHeader;
            return false;
        }
        if (request.Query["after"] is { Count: > 0 } query && query.ToString() is { Length: > 0 } raw)
        {
            if (query.Count == 1 && TryParseSeq(raw, out after))
                return true;
            field = "after";
            return false;
        }
        return true;
    }

    // Digits only: no sign, no spaces, no thousands separators.
    private static bool TryParseSeq(string raw, out long seq) =>
        long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out seq);

    /// <summary>
    /// Starts an event-stream response (no caching, no proxy buffering) and returns its lifetime,
    /// whose token ends when the client goes, the server stops (or shutdown would wait on every
    /// open stream) or the caller's access is revoked.
    /// </summary>
    public static StreamLifetime Begin(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers[HeaderNames.CacheControl] = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        return new StreamLifetime(context);
    }

    /// <param name="visible">Asked of each event before it is written (null: every event); a false skips it.</param>
    public static async Task WriteAsync(HttpContext context, EventStreamReader reader, long afterSeq, IReadOnlySet<string>? sessions, Func<EventEnvelope, CancellationToken, ValueTask<bool>>? visible = null)
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
                        if (visible is not null && !await visible(item.Event!, cancellationToken))
                            break;
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
