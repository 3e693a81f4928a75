using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Streaming;

namespace Overseer.Api;

/// <summary>One multiplexed SSE stream over every session the caller may see (one connection per browser tab).</summary>
public static class StreamApi
{
    public const int MaxSessionFilter = 500;

    public static RouteGroupBuilder MapStreamApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stream", StreamAsync).Requires(Roles.Viewer);
        return api;
    }

    private static async Task StreamAsync(HttpContext context, EventStreamReader reader, Storage.IEventStore store, StreamVisibility visibility)
    {
        // A new subscriber starts from now (a long-lived server's whole history is not replayed
        // to every tab); ?after=0 asks for everything.
        if (!SseEndpoint.TryResumePosition(context.Request, fallback: store.LastSeq, out var after, out var badField))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidField,
                $"{(badField == "after" ? "Query parameter 'after'" : "Header " + badField)} must be a non-negative whole number (an event seq).", badField);
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
        // Filtered per event, so a membership removed stops delivery at once, without a reconnect.
        await SseEndpoint.WriteAsync(context, reader, after, sessions, visibility.FilterFor(context.User));
    }
}
