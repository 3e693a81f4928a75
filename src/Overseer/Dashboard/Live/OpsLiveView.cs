using Overseer.Contracts.Events;
using Overseer.Contracts.Monitoring;
using Overseer.Dashboard.Components;

namespace Overseer.Dashboard.Live;

/// <summary>The Ops page: a check changing status, or an alert raised, resolved, acknowledged or silenced, re-renders its body (at most twice a second).</summary>
public sealed class OpsLiveView(DashboardData data, System.Security.Claims.ClaimsPrincipal viewer, OpsData ops, bool canAct) : LiveView(data, viewer)
{
    private bool _dirty;

    public override TimeSpan MinInterval => TimeSpan.FromMilliseconds(500);

    protected override bool HasViewChanges => _dirty;

    protected override void ObserveView(EventEnvelope e)
    {
        if (e.SessionId is null && MonitoringEvents.IsMonitoring(e.Type))
            _dirty = true;
    }

    protected override async Task RenderViewAsync(FragmentRenderer.Batch batch, CancellationToken cancellationToken)
    {
        if (!_dirty)
            return;
        _dirty = false;
        await batch.AddAsync<OpsBody>(new Dictionary<string, object?>
        {
            [nameof(OpsBody.View)] = await ops.ReadAsync(cancellationToken),
            [nameof(OpsBody.CanAct)] = canAct,
            [nameof(OpsBody.SwapOob)] = true,
        });
    }
}
