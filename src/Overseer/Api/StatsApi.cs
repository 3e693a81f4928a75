using Overseer.Storage;

namespace Overseer.Api;

/// <summary><c>GET /api/stats</c>: sessions by status and the tokens and dollars they have used.</summary>
public static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/stats", async (IReadModel readModel, Core.Scheduling.SessionScheduler scheduler, CancellationToken ct) =>
        {
            var stats = await readModel.GetUsageStatsAsync(ct);
            return TypedResults.Ok(new Contracts.Api.StatsDto(
                stats.SessionsByStatus,
                new Contracts.Api.UsageDto(stats.InputTokens, stats.OutputTokens, stats.CostUsd, stats.CacheReadTokens),
                scheduler.ActiveCount,
                scheduler.QueuedCount));
        });
        return api;
    }
}
