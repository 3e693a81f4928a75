using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;

namespace Overseer.Monitoring;

/// <summary>Checks and rules as the API, CLI and dashboard show them.</summary>
internal static class MonitoringViews
{
    public static CheckDto ToDto(CheckEntry check, CheckState? state) => new(
        check.Definition, check.Source, check.Interval.TotalSeconds,
        state?.Status ?? "unknown", state?.Result.Value, state?.Result.Unit, state?.Result.Message, state?.At, state?.DurationMs);

    public static AlertRuleDto ToDto(RuleSpec rule) => new(rule.Definition, rule.Source);

    /// <summary>How wide a series' buckets are for a window: about 120 points, never finer than the raw results.</summary>
    public static TimeSpan BucketFor(TimeSpan window) => window / 120 < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : window / 120;
}
