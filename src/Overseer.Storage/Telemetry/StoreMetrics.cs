using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Overseer.Storage.Telemetry;

/// <summary>
/// The event store's instruments. The writer records once per committed batch, never per event,
/// and reads the clock only when a histogram has a listener: the live path pays nothing more.
/// </summary>
public static class StoreMetrics
{
    public static readonly Counter<long> EventsAppended = OverseerTelemetry.Meter.CreateCounter<long>(
        "overseer.events.appended", "{event}", "Events committed to the event log.");

    public static readonly Histogram<double> AppendDuration = OverseerTelemetry.Meter.CreateHistogram(
        "overseer.store.append.duration", "s", "From an append's arrival at the writer's queue to its commit: queueing plus the commit it shared.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Histogram<double> CommitDuration = OverseerTelemetry.Meter.CreateHistogram(
        "overseer.store.commit.duration", "s", "One group commit: the inserts, projections and the transaction's commit.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });

    public static readonly Histogram<long> BatchSize = OverseerTelemetry.Meter.CreateHistogram(
        "overseer.store.batch.size", "{event}", "Events in one group commit.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });

    // The live path's commits take tens of microseconds to a few milliseconds (docs/performance.md):
    // the default buckets (from 5 ms up) would put every one of them in the first.
    private static IReadOnlyList<double> LatencyBuckets => [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    /// <summary>A start time for <see cref="AppendDuration"/>, or 0 when nobody listens (no clock read).</summary>
    public static long AppendStarted() => AppendDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>A start time for <see cref="CommitDuration"/>, or 0 when nobody listens.</summary>
    public static long CommitStarted() => CommitDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
}
