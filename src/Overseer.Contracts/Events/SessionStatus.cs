using System.Text.Json.Serialization;

namespace Overseer.Contracts.Events;

/// <summary>The session state machine's states (DESIGN.md §4). Wire names are snake_case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SessionStatus>))]
public enum SessionStatus
{
    [JsonStringEnumMemberName("queued")] Queued,
    [JsonStringEnumMemberName("starting")] Starting,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("waiting")] Waiting,
    [JsonStringEnumMemberName("idle")] Idle,
    [JsonStringEnumMemberName("paused")] Paused,
    [JsonStringEnumMemberName("rate_limited")] RateLimited,
    [JsonStringEnumMemberName("interrupted")] Interrupted,
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Stored but not started: it can be edited, started or deleted.</summary>
    [JsonStringEnumMemberName("draft")] Draft,

    /// <summary>Gone from every list, search and count; its events stay in the log.</summary>
    [JsonStringEnumMemberName("deleted")] Deleted,
}

public static class SessionStatusNames
{
    public static string ToWire(this SessionStatus status) => status switch
    {
        SessionStatus.Queued => "queued",
        SessionStatus.Starting => "starting",
        SessionStatus.Running => "running",
        SessionStatus.Waiting => "waiting",
        SessionStatus.Idle => "idle",
        SessionStatus.Paused => "paused",
        SessionStatus.RateLimited => "rate_limited",
        SessionStatus.Interrupted => "interrupted",
        SessionStatus.Completed => "completed",
        SessionStatus.Failed => "failed",
        SessionStatus.Cancelled => "cancelled",
        SessionStatus.Draft => "draft",
        SessionStatus.Deleted => "deleted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string? wire, out SessionStatus status)
    {
        foreach (var candidate in Enum.GetValues<SessionStatus>())
        {
            if (string.Equals(candidate.ToWire(), wire, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    /// <summary>The event type that records entering <paramref name="status"/>.</summary>
    public static string EventType(this SessionStatus status) => "session." + status.ToWire();

    /// <summary>Ended for good: nothing runs any more (a deleted session is also in no list).</summary>
    public static bool IsTerminal(this SessionStatus status) =>
        status is SessionStatus.Completed or SessionStatus.Cancelled or SessionStatus.Deleted;

    /// <summary>The statuses a list can be filtered by: every one but <c>deleted</c>, which no list shows.</summary>
    public static IReadOnlyList<SessionStatus> Listed { get; } = [.. Enum.GetValues<SessionStatus>().Where(s => s != SessionStatus.Deleted)];
}
