using Overseer.Contracts.Api;
using Overseer.Streaming;

namespace Overseer.Api;

/// <summary>One multiplexed SSE stream over every session the caller may see (one connection per browser tab).</summary>
public static class StreamApi
{
    public const int MaxSessionFilter = 500;

    public static RouteGroupBuilder MapStreamApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stream", StreamAsync);
        return api;
    }

    private static async Task StreamAsync(HttpContext context, EventStreamReader reader, Storage.IEventStore store)
    {
        // A new subscriber starts from now (a long-lived server's whole history is not replayed
        // to every tab); ?after=0 asks for everything.
        if (SseEndpoint.ResumePosition(context.Request, fallback: store.LastSeq) is not { } after)
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "Last-Event-ID or 'after' must be a non-negative whole number (an event seq).", "after");
            return;
        }
        HashSet<string>? sessions = null;
        if (context.Request.Query["sessions"].FirstOrDefault() is { Length: > 0 } filter)
        {
            sessions = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (sessions.Count > MaxSessionFilter)
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'sessions' may name at most {MaxSessionFilter} sessions.", "sessions");
                return;
            }
        }
        await SseEndpoint.WriteAsync(context, reader, after, sessions);
    }
}
