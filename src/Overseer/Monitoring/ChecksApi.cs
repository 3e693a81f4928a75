using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Storage;

namespace Overseer.Monitoring;

/// <summary>
/// Checks and alert rules: anyone signed in sees them; only admins define them (a command check
/// runs programs on the server, a runbook starts sessions in a project); operators run a check now.
/// </summary>
public static class ChecksApi
{
    public static RouteGroupBuilder MapChecksApi(this RouteGroupBuilder api)
    {
        var checks = api.MapGroup("/checks");
        checks.MapGet("", async (MonitoringCatalog catalog, CheckStates states, CancellationToken ct) =>
        {
            var snapshot = await catalog.SnapshotAsync(ct);
            return TypedResults.Ok(new ListResponse<CheckDto>(snapshot.Checks.Select(c => MonitoringViews.ToDto(c, states.Get(c.Id))).ToList(), null));
        }).Requires(Roles.Viewer);
        checks.MapGet("/{id}", async (string id, MonitoringCatalog catalog, CheckStates states, CancellationToken ct) =>
            (await catalog.SnapshotAsync(ct)).Check(id) is { } check ? TypedResults.Ok(MonitoringViews.ToDto(check, states.Get(id))) : NotFound(id))
            .Requires(Roles.Viewer);
        checks.MapGet("/{id}/series", async (string id, HttpContext context, MonitoringCatalog catalog, IMonitoringStore store, TimeProvider time,
            Microsoft.Extensions.Options.IOptions<MonitoringOptions> options) =>
        {
            if (!QueryParams.TryInt(context.Request, "hours", 24, 1, 24 * 30, out var hours, out var problem))
                return problem!;
            if ((await catalog.SnapshotAsync(context.RequestAborted)).Check(id) is null)
                return NotFound(id);
            var now = time.GetUtcNow();
            var window = TimeSpan.FromHours(hours);
            var bucket = MonitoringViews.BucketFor(window);
            var samples = await store.SeriesAsync(id, now - window, bucket, now - options.Value.RawRetention, context.RequestAborted);
            return TypedResults.Ok(new CheckSeriesDto(id, $"{bucket.TotalSeconds:0}s", samples));
        }).Requires(Roles.Viewer);
        checks.MapPost("", async (HttpContext context, MonitoringCatalog catalog, CheckStates states) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, MonitoringJson.Default.CheckDefinition);
            if (problem is not null)
                return problem;
            var (check, refused) = await catalog.AddCheckAsync(request, context.User.ActedBy(), context.RequestAborted);
            return check is null ? MonitoringProblems.Result(refused!) : TypedResults.Created($"/api/checks/{check.Id}", MonitoringViews.ToDto(check, null));
        }).Requires(Roles.Admin);
        checks.MapDelete("/{id}", async (string id, MonitoringCatalog catalog, CancellationToken ct) =>
            await catalog.DeleteCheckAsync(id, ct) is { } problem ? MonitoringProblems.Result(problem) : TypedResults.NoContent())
            .Requires(Roles.Admin);
        checks.MapPost("/{id}/run", async (string id, MonitoringCatalog catalog, CheckMonitor monitor, CancellationToken ct) =>
        {
            var state = await monitor.RunNowAsync(id, ct);
            var check = (await catalog.SnapshotAsync(ct)).Check(id);
            return state is null || check is null ? NotFound(id) : TypedResults.Ok(MonitoringViews.ToDto(check, state));
        }).Requires(Roles.Operator);

        var rules = api.MapGroup("/alert-rules");
        rules.MapGet("", async (MonitoringCatalog catalog, CancellationToken ct) =>
            TypedResults.Ok(new ListResponse<AlertRuleDto>((await catalog.SnapshotAsync(ct)).Rules.Select(MonitoringViews.ToDto).ToList(), null)))
            .Requires(Roles.Viewer);
        rules.MapGet("/{id}", async (string id, MonitoringCatalog catalog, CancellationToken ct) =>
            (await catalog.SnapshotAsync(ct)).Rule(id) is { } rule
                ? TypedResults.Ok(MonitoringViews.ToDto(rule))
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.AlertRuleNotFound, $"No alert rule has id '{id}'."))
            .Requires(Roles.Viewer);
        rules.MapPost("", async (HttpContext context, MonitoringCatalog catalog) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, MonitoringJson.Default.AlertRuleDefinition);
            if (problem is not null)
                return problem;
            var (rule, refused) = await catalog.AddRuleAsync(request, context.User.ActedBy(), context.RequestAborted);
            return rule is null ? MonitoringProblems.Result(refused!) : TypedResults.Created($"/api/alert-rules/{rule.Id}", MonitoringViews.ToDto(rule));
        }).Requires(Roles.Admin);
        rules.MapDelete("/{id}", async (string id, MonitoringCatalog catalog, AlertEngine alerts, CancellationToken ct) =>
        {
            if (await catalog.DeleteRuleAsync(id, ct) is { } problem)
                return MonitoringProblems.Result(problem);
            await alerts.ForgetRuleAsync(id, ct);
            return TypedResults.NoContent();
        }).Requires(Roles.Admin);
        return api;
    }

    private static IResult NotFound(string id) => Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.CheckNotFound, $"No check has id '{id}'.");
}
