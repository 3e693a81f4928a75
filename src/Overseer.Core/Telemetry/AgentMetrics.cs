using System.Diagnostics;
using System.Diagnostics.Metrics;
using Overseer.Storage.Telemetry;

namespace Overseer.Core.Telemetry;

/// <summary>What agents cost and how long people keep them waiting. Recorded once per model call, tool decision or approval.</summary>
public static class AgentMetrics
{
    public static readonly Counter<long> Tokens = OverseerTelemetry.Meter.CreateCounter<long>(
        "overseer.agent.tokens", "{token}", "Tokens the agents' model calls used, by model and type (input, output, cache_read).");

    public static readonly Counter<double> Cost = OverseerTelemetry.Meter.CreateCounter<double>(
        "overseer.agent.cost.usd", "{USD}", "What the agents' model calls cost, by model, as the runtime priced them.");

    public static readonly Counter<long> ToolCalls = OverseerTelemetry.Meter.CreateCounter<long>(
        "overseer.tool.calls", "{call}", "Tool calls the safety gate decided, by tier and decision.");

    public static readonly Histogram<double> ApprovalWait = OverseerTelemetry.Meter.CreateHistogram<double>(
        "overseer.approval.wait", "s", "How long a tool call waited for a person's decision, by decision.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });

    private const string UnknownModel = "unknown";

    public static void RecordUsage(string? model, long input, long output, long cacheRead, decimal costUsd)
    {
        if (!Tokens.Enabled && !Cost.Enabled)
            return;
        var name = string.IsNullOrEmpty(model) ? UnknownModel : model;
        Tokens.Add(input, new("model", name), new("type", "input"));
        Tokens.Add(output, new("model", name), new("type", "output"));
        if (cacheRead > 0)
            Tokens.Add(cacheRead, new("model", name), new("type", "cache_read"));
        Cost.Add((double)costUsd, new KeyValuePair<string, object?>("model", name));
    }

    public static void RecordToolCall(string? tier, bool allowed, TimeSpan? approvalWait)
    {
        var decision = allowed ? "allow" : "deny";
        ToolCalls.Add(1, new("tier", tier ?? "none"), new("decision", decision));
        if (approvalWait is { } wait)
            ApprovalWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>("decision", decision));
    }

    /// <summary>The tags of a span, set only when the span is recorded.</summary>
    internal static void Tag(this Activity? activity, string key, object? value)
    {
        if (activity is { IsAllDataRequested: true })
            activity.SetTag(key, value);
    }
}
