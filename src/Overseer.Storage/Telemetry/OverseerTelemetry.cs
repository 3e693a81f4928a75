using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Overseer.Storage.Telemetry;

/// <summary>
/// Overseer's one meter and one activity source, named "Overseer". They live in the lowest
/// assembly that measures anything (the store) so every layer records through the same two; the
/// host decides whether anyone listens (docs/telemetry.md). With no listener an instrument's
/// record is a check of an empty subscriber list and a span is never created.
/// </summary>
public static class OverseerTelemetry
{
    public const string Name = "Overseer";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Seconds between two <see cref="Stopwatch.GetTimestamp"/> readings, for duration histograms.</summary>
    public static double Seconds(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
}
