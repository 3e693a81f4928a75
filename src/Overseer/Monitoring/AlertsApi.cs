using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Storage;

namespace Overseer.Monitoring;

/// <summary>Alerts: the list (firing first by default), one alert, and what a person does with one: acknowledge, silence.</summary>
public static class AlertsApi
{
    /// <summary>The longest silence: a forgotten one must not hide a machine for ever.</summary>
    public static readonly TimeSpan MaxSilence = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts");
        alerts.MapGet("", async (HttpContext context, IMonitoringStore store) =>
        {
            var status = context.Request.Query["status"].FirstOrDefault() ?? "firing";
            if (status is not ("firing" or "resolved" or "all"))
                return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "status must be firing, resolved or all.", "status");
            if (!QueryParams.TryInt(context.Request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out var limit, out var problem))
                return problem!;
            return TypedResults.Ok(new ListResponse<AlertDto>(await store.ListAlertsAsync(status == "all" ? null : status, limit, context.RequestAborted), null));
        }).Requires(Roles.Viewer);
        alerts.MapGet("/{id}", async (string id, IMonitoringStore store, CancellationToken ct) =>
            await store.FindAlertAsync(id, ct) is { } alert ? TypedResults.Ok(alert) : NotFound(id))
            .Requires(Roles.Viewer);
        alerts.MapPost("/{id}/ack", async (string id, HttpContext context, IMonitoringStore store, AlertEngine engine) =>
        {
            if (await store.FindAlertAsync(id, context.RequestAborted) is null)
                return NotFound(id);
            await engine.AcknowledgeAsync(id, context.User.ActedBy(), context.RequestAborted);
            return TypedResults.Ok(await store.FindAlertAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator);
        alerts.MapPost("/{id}/silence", async (string id, HttpContext context, IMonitoringStore store, AlertEngine engine, TimeProvider time) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, MonitoringJson.Default.SilenceAlertRequest);
            if (problem is not null)
                return problem;
            var now = time.GetUtcNow();
            if (SilenceUntil(request!, now) is not { } until)
                return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField,
                    $"Give for (a duration such as 30m, 2h or 1d) or until (a time in the future), at most {MaxSilence.TotalDays:0} days ahead.", request!.For is null ? "until" : "for");
            if (await store.FindAlertAsync(id, context.RequestAborted) is not { } alert)
                return NotFound(id);
            await engine.SilenceAsync(alert, until, context.User.ActedBy(), context.RequestAborted);
            return TypedResults.Ok(await store.FindAlertAsync(id, context.RequestAborted));
        }).Requires(Roles.Operator);
        return api;
    }

    /// <summary>When a silence asked for ends, or null when the request is not a valid one.</summary>
    public static DateTimeOffset? SilenceUntil(SilenceAlertRequest request, DateTimeOffset now)
    {
        DateTimeOffset until;
        if (request.For is { } duration)
        {
            if (request.Until is not null || !Durations.TryParse(duration, out var span) || span <= TimeSpan.Zero)
                return null;
            until = now + span;
        }
        else if (request.Until is { } at)
        {
            until = at;
        }
        else
        {
            return null;
        }
        return until > now && until <= now + MaxSilence ? until : null;
    }

    private static IResult NotFound(string id) => Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.AlertNotFound, $"No alert has id '{id}'.");
}
