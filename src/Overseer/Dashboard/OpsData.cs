using Microsoft.Extensions.Options;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Storage;

namespace Overseer.Dashboard;

/// <summary>What the Ops page shows, read once per render: each check with its state and last 24 hours, the alerts, the runbook sessions.</summary>
public sealed class OpsData(MonitoringCatalog catalog, CheckStates states, IMonitoringStore store, IOptions<MonitoringOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<OpsView> ReadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow();
        var bucket = Monitoring.MonitoringViews.BucketFor(Window);
        var checks = new List<OpsCheck>(snapshot.Checks.Count);
        foreach (var check in snapshot.Checks)
        {
            var series = await store.SeriesAsync(check.Id, now - Window, bucket, now - options.Value.RawRetention, cancellationToken);
            checks.Add(new OpsCheck(Monitoring.MonitoringViews.ToDto(check, states.Get(check.Id)), series));
        }
        var firing = await store.ListAlertsAsync("firing", 100, cancellationToken);
        var recent = await store.ListAlertsAsync(null, 50, cancellationToken);
        // Failing checks first, so a broken service is the first thing seen.
        checks.Sort((a, b) => Rank(a.Check.Status).CompareTo(Rank(b.Check.Status)) is var r and not 0 ? r : string.CompareOrdinal(a.Check.Definition.Id, b.Check.Definition.Id));
        return new OpsView(checks, firing, recent.Where(a => a.Status == "resolved").Take(20).ToList(),
            recent.Where(a => a.RunbookSessionId is not null || a.RunbookError is not null).ToList(), now - Window, now);
    }

    private static int Rank(string status) => status switch { "failing" => 0, "unknown" => 1, _ => 2 };
}

public sealed record OpsCheck(CheckDto Check, IReadOnlyList<CheckSampleDto> Series);

public sealed record OpsView(
    IReadOnlyList<OpsCheck> Checks,
    IReadOnlyList<AlertDto> Firing,
    IReadOnlyList<AlertDto> Resolved,
    IReadOnlyList<AlertDto> Runbooks,
    DateTimeOffset From,
    DateTimeOffset To);
