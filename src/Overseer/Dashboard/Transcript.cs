using Overseer.Contracts.Events;

namespace Overseer.Dashboard;

/// <summary>A page of events as the transcript shows them: each tool result inside its call.</summary>
public static class Transcript
{
    public const int PageSize = 200;

    public static IReadOnlyList<(EventEnvelope Event, EventEnvelope? Result)> Pair(IReadOnlyList<EventEnvelope> events)
    {
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = new List<(EventEnvelope Event, EventEnvelope? Result)>(events.Count);
        foreach (var e in events)
        {
            if (e.Type == EventTypes.ToolCall && Format.String(e.Data, "toolUseId") is { } callId)
            {
                calls[callId] = items.Count;
            }
            else if (e.Type == EventTypes.ToolResult && Format.String(e.Data, "toolUseId") is { } resultId && calls.Remove(resultId, out var index))
            {
                items[index] = (items[index].Event, e);
                continue;
            }
            items.Add((e, null));
        }
        return items;
    }
}

/// <summary>Something waiting for a person: an approval, question, dependency or review.</summary>
public sealed record PendingEntry(object Item, string SessionId, DateTimeOffset CreatedAt);
