using Overseer.Contracts.Events;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard.Live;

/// <summary>
/// Pending items across sessions. New ones go on top; decided ones change in place, so a form
/// someone is filling in is never replaced by an unrelated update.
/// </summary>
public sealed class InboxView(DashboardData data, System.Security.Claims.ClaimsPrincipal viewer, string container, string insertion, string? sessionId) : LiveView(data, viewer)
{
    private readonly Dictionary<string, (EventEnvelope Event, bool Opened)> _changed = new(StringComparer.Ordinal);

    protected override bool HasViewChanges => _changed.Count > 0;

    protected override void ObserveView(EventEnvelope e)
    {
        if (sessionId is not null && e.SessionId != sessionId)
            return;
        if (DashboardData.ItemKey(e) is not { } key)
            return;
        var id = key.Kind + ":" + key.Id;
        // Opened and closed in one batch: still new to the page, so it is inserted (already decided).
        var opened = key.Opened || (_changed.TryGetValue(id, out var earlier) && earlier.Opened);
        _changed[id] = (e, opened);
    }

    protected override async Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken)
    {
        foreach (var (e, opened) in _changed.Values)
        {
            if (await Data.ItemAsync(e, cancellationToken) is not { } item)
                continue;
            if (opened)
                batch.AddRaw($"<div hx-swap-oob=\"{insertion}:#{container}\">");
            await batch.AddAsync<PendingItem>(new Dictionary<string, object?>
            {
                [nameof(PendingItem.Item)] = item,
                [nameof(PendingItem.ShowSession)] = sessionId is null,
                [nameof(PendingItem.SwapOob)] = !opened,
            });
            if (opened)
                batch.AddRaw("</div>");
        }
        _changed.Clear();
    }
}
