using Overseer.Auth;
using Overseer.Storage;

namespace Overseer.Api;

/// <summary><c>GET /api/stats</c> and <c>GET /api/usage</c>: sessions by status and the tokens and dollars they have used.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", async (HttpContext context, IReadModel readModel, Core.Scheduling.SessionScheduler scheduler, CancellationToken ct) =>
        {
            var stats = await readModel.GetUsageStatsAsync(await Visibility.ProjectsAsync(context), ct);
            return TypedResults.Ok(new Contracts.Api.StatsDto(
                stats.SessionsByStatus,
                new Contracts.Api.UsageDto(stats.InputTokens, stats.OutputTokens, stats.CostUsd, stats.CacheReadTokens),
                scheduler.ActiveCount,
                scheduler.QueuedCount));
        }).Requires(Contracts.Api.Roles.Viewer);
        api.MapGet("/usage", async (HttpRequest request, IReadModel readModel, CancellationToken ct) =>
        {
            var raw = request.Query["groupBy"].FirstOrDefault() is { Length: > 0 } given ? given : "day";
            if (!Enum.TryParse<UsageGrouping>(raw, ignoreCase: true, out var groupBy) || !Enum.IsDefined(groupBy) || char.IsDigit(raw[0]))
                return Problems.Result(StatusCodes.Status400BadRequest, Contracts.Api.ErrorCodes.InvalidField, "Query parameter 'groupBy' must be one of day, model, project, session.", "groupBy");
            var rows = await readModel.GetUsageAsync(groupBy, await Visibility.ProjectsAsync(request.HttpContext), ct);
            return TypedResults.Ok(new Contracts.Api.UsageReportDto(groupBy.ToString().ToLowerInvariant(),
                [.. rows.Select(r => new Contracts.Api.UsageRowDto(r.Key, r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CostUsd))]));
        }).Requires(Contracts.Api.Roles.Viewer);
        return api;
    }
}
