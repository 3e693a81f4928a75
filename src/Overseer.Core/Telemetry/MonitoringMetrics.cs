using System.Diagnostics.Metrics;
using Overseer.Storage.Telemetry;

namespace Overseer.Core.Telemetry;

/// <summary>How long the health checks take: a check creeping towards its timeout shows here before it fails.</summary>
public static class MonitoringMetrics
{
    public static readonly Histogram<double> CheckDuration = OverseerTelemetry.Meter.CreateHistogram<double>(
        "overseer.check.duration", "s", "How long each health check took, by check, kind and outcome (ok, fail).", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    public static void RecordCheck(string check, string kind, bool ok, double durationMs)
    {
        if (CheckDuration.Enabled)
            CheckDuration.Record(durationMs / 1000, new("check", check), new("kind", kind), new("outcome", ok ? "ok" : "fail"));
    }
}
