using System.Security.Claims;
using Overseer.Contracts.Events;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard.Live;

/// <summary>
/// What one open page needs from the event stream: it notes each event, then at each quiet
/// moment renders the changed fragments as htmx out-of-band swaps. Every page keeps the inbox
/// count in the navigation current. Everything is read as <see cref="Viewer"/> may see it.
/// </summary>
public abstract class LiveView(DashboardData data, ClaimsPrincipal viewer)
{
    protected ClaimsPrincipal Viewer { get; } = viewer;

    private bool _inboxChanged;

    protected DashboardData Data { get; } = data;

    /// <summary>The least time between two renders: pages that re-render whole lists coalesce bursts.</summary>
    public virtual TimeSpan MinInterval => TimeSpan.Zero;

    public bool HasChanges => _inboxChanged || HasViewChanges;

    protected abstract bool HasViewChanges { get; }

    public void Observe(EventEnvelope e)
    {
        if (DashboardData.ItemKey(e) is not null)
            _inboxChanged = true;
        ObserveView(e);
    }

    protected abstract void ObserveView(EventEnvelope e);

    public async Task RenderAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken)
    {
        if (_inboxChanged)
        {
            _inboxChanged = false;
            await batch.AddAsync<InboxBadge>(new Dictionary<string, object?>
            {
                [nameof(InboxBadge.Count)] = await Data.InboxCountAsync(Viewer, cancellationToken),
                [nameof(InboxBadge.SwapOob)] = true,
            });
        }
        await RenderViewAsync(batch, cancellationToken);
    }

    protected abstract Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken);
}

/// <summary>Pages with nothing live of their own (projects, stats): only the inbox count.</summary>
public sealed class BadgeOnlyView(DashboardData data, ClaimsPrincipal viewer) : LiveView(data, viewer)
{
    protected override bool HasViewChanges => false;

    protected override void ObserveView(EventEnvelope e)
    {
    }

    protected override Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken) => Task.CompletedTask;
}
