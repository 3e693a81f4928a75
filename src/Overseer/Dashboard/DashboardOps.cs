using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Dashboard.Components;
using Overseer.Monitoring;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>
/// The Ops page: checks and their state with the last day as sparklines, firing alerts with
/// acknowledge and silence, recent alerts and runbook sessions; live over the tab's stream.
/// </summary>
public static class DashboardOps
{
    public static RouteGroupBuilder MapOpsPage(this RouteGroupBuilder pages)
    {
        pages.MapGet("/ops", async (HttpContext context, DashboardData data, OpsData ops, IEventStore store, CancellationToken ct) =>
        {
            var after = store.LastSeq;
            return DashboardEndpoints.Page<OpsPage>(context, $"/ui/stream?view=ops&after={after}", await data.InboxCountAsync(context.User, ct), new()
            {
                [nameof(OpsPage.View)] = await ops.ReadAsync(ct),
                [nameof(OpsPage.CanAct)] = Contracts.Api.Roles.AtLeast(context.User.Role(), Contracts.Api.Roles.Operator),
            });
        }).Requires(Contracts.Api.Roles.Viewer);
        return pages;
    }

    public static RouteGroupBuilder MapOpsActions(this RouteGroupBuilder ui)
    {
        ui.MapPost("/alerts/{id}/ack", async (string id, HttpContext context, IMonitoringStore store, AlertEngine engine) =>
        {
            if (await store.FindAlertAsync(id, context.RequestAborted) is null)
                return DashboardActions.Toast(context, $"No alert has id '{id}'.", StatusCodes.Status404NotFound);
            await engine.AcknowledgeAsync(id, context.User.ActedBy(), context.RequestAborted);
            return Results.NoContent();
        }).Requires(Contracts.Api.Roles.Operator);
        ui.MapPost("/alerts/{id}/silence", async (string id, HttpContext context, IMonitoringStore store, AlertEngine engine, TimeProvider time) =>
        {
            var form = await DashboardActions.FormAsync(context);
            if (AlertsApi.SilenceUntil(new SilenceAlertRequest(DashboardActions.Field(form, "for")), time.GetUtcNow()) is not { } until)
                return DashboardActions.Toast(context, "Silence for a duration such as 30m, 2h or 1d (at most 30 days).", StatusCodes.Status400BadRequest);
            if (await store.FindAlertAsync(id, context.RequestAborted) is not { } alert)
                return DashboardActions.Toast(context, $"No alert has id '{id}'.", StatusCodes.Status404NotFound);
            await engine.SilenceAsync(alert, until, context.User.ActedBy(), context.RequestAborted);
            return Results.NoContent();
        }).Requires(Contracts.Api.Roles.Operator);
        return ui;
    }
}
