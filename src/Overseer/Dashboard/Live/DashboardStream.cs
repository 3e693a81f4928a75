using System.Diagnostics;
using System.Globalization;
using System.Text;
using Overseer.Contracts.Events;
using Overseer.Streaming;

namespace Overseer.Dashboard.Live;

/// <summary>
/// <c>GET /ui/stream</c>: the tab's one live connection. Events are read gap-free from the hub
/// (catch-up, then live), folded into the page's view, and written as rendered HTML, one SSE
/// message per quiet moment with the last event's seq as its id, so a reconnect resumes
/// exactly where the page left off.
/// </summary>
public static partial class DashboardStream
{
    /// <param name="visible">Whether the viewer may see an event (null: all); others are skipped as if they never happened.</param>
    public static async Task WriteAsync(HttpContext context, LiveView view, long afterSeq, EventStreamReader reader, FragmentRenderer renderer,
        Func<EventEnvelope, CancellationToken, ValueTask<bool>>? visible = null)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardStream));
        using var linked = SseEndpoint.Begin(context);
        var cancellationToken = linked.Token;
        var body = context.Response.Body;
        // A dropped connection is retried after a second, carrying the last id it saw.
        await body.WriteAsync("retry: 1000\n: connected\n\n"u8.ToArray(), cancellationToken);
        await body.FlushAsync(cancellationToken);

        var last = afterSeq;
        var sent = afterSeq;
        var lastRender = Stopwatch.GetTimestamp() - Stopwatch.Frequency;
        try
        {
            await foreach (var item in reader.ReadAsync(afterSeq, null, cancellationToken))
            {
                switch (item.Kind)
                {
                    case StreamItemKind.Event:
                        last = item.Event!.Seq;
                        if (visible is null || await visible(item.Event, cancellationToken))
                            view.Observe(item.Event);
                        break;
                    case StreamItemKind.Drained when view.HasChanges:
                        var wait = view.MinInterval - Stopwatch.GetElapsedTime(lastRender);
                        if (wait > TimeSpan.Zero)
                            await Task.Delay(wait, cancellationToken);
                        string html;
                        try
                        {
                            html = await renderer.RenderAsync(context.Request, batch => view.RenderAsync(batch, cancellationToken));
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            // A fragment that cannot be drawn must not end the tab's stream; the
                            // next change renders afresh from the read model.
                            Log.RenderFailed(logger, ex, last);
                            html = "";
                        }
                        lastRender = Stopwatch.GetTimestamp();
                        await WriteMessageAsync(body, last, html, cancellationToken);
                        sent = last;
                        break;
                    case StreamItemKind.Drained when last != sent:
                        // Nothing to show, but move the client's position on so a reconnect does not re-read it.
                        await body.WriteAsync(Encoding.UTF8.GetBytes($"id: {last.ToString(CultureInfo.InvariantCulture)}\n\n"), cancellationToken);
                        await body.FlushAsync(cancellationToken);
                        sent = last;
                        break;
                    case StreamItemKind.Heartbeat:
                        await body.WriteAsync(": heartbeat\n\n"u8.ToArray(), cancellationToken);
                        await body.FlushAsync(cancellationToken);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The tab went away or the server is stopping.
        }
    }

    private static async Task WriteMessageAsync(Stream body, long id, string html, CancellationToken cancellationToken)
    {
        var message = new StringBuilder(html.Length + 64);
        message.Append("id: ").Append(id.ToString(CultureInfo.InvariantCulture)).Append("\nevent: ui\n");
        // Every line of the payload is its own data: field (SSE ends a line at CR, LF or CRLF);
        // the browser joins them with newlines.
        foreach (var line in html.ReplaceLineEndings("\n").Split('\n'))
            message.Append("data: ").Append(line).Append('\n');
        message.Append('\n');
        await body.WriteAsync(Encoding.UTF8.GetBytes(message.ToString()), cancellationToken);
        await body.FlushAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "The dashboard could not render the changes up to event {Seq}")]
        public static partial void RenderFailed(ILogger logger, Exception exception, long seq);
    }
}
