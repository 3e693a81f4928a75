using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Core.Budgets;

/// <summary>
/// What a new session is likely to cost, from the costs of the latest <see cref="Runs"/> finished
/// runs (completed, or idle with their turn done) of the same template, else of the same project.
/// </summary>
public sealed class CostPredictor(IBudgetStore store)
{
    public const int Runs = 50;

    /// <param name="visible">The projects whose runs may inform a template's prediction (the caller's); null for all.</param>
    public async Task<CostPredictionDto> PredictAsync(string projectId, string? templateId, IReadOnlyCollection<string>? visible, CancellationToken cancellationToken)
    {
        if (templateId is not null && await store.RecentCostsAsync(templateId, null, visible, Runs, cancellationToken) is { Count: > 0 } runs)
            return Of("template", runs);
        var project = await store.RecentCostsAsync(null, projectId, null, Runs, cancellationToken);
        return project.Count > 0 ? Of("project", project) : new CostPredictionDto("none", 0, null, null);
    }

    /// <summary>The median (the mean of the middle two for an even count) and the 90th percentile (nearest rank).</summary>
    public static CostPredictionDto Of(string basis, IReadOnlyCollection<decimal> costs)
    {
        var sorted = costs.Order().ToArray();
        var n = sorted.Length;
        var median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2m;
        var p90 = sorted[(int)Math.Ceiling(0.9 * n) - 1];
        return new CostPredictionDto(basis, n, median, p90);
    }
}
