using System.Diagnostics.Metrics;
using Overseer.Core.Scheduling;
using Overseer.Core.Telemetry;
using Overseer.Storage;
using Overseer.Storage.Telemetry;
using Overseer.Streaming;

namespace Overseer.Telemetry;

/// <summary>
/// The gauges: each reads state that already exists (the scheduler's counts, the hub's
/// subscribers, the store's sessions and approvals, /proc for agent processes) when a reader
/// collects, so they cost nothing between scrapes. Created only when metrics are wanted, on a
/// meter of this server's container (gone with it).
/// </summary>
internal sealed class OverseerGauges
{
    public OverseerGauges(IMeterFactory meters, SessionScheduler scheduler, EventHub hub, IStoreGauges store, AgentProcesses processes, TimeProvider time)
    {
        var meter = meters.Create(OverseerTelemetry.Name);
        meter.CreateObservableGauge("overseer.sessions", () => SessionsByStatus(store), "{session}",
            "Sessions by status (deleted ones are not counted).");
        meter.CreateObservableGauge("overseer.sessions.active", () => scheduler.ActiveCount, "{session}",
            "Sessions holding one of the Sessions:MaxConcurrent slots.");
        meter.CreateObservableGauge("overseer.queue.depth", () => scheduler.QueuedCount, "{session}",
            "Sessions waiting in the queue for a slot.");
        meter.CreateObservableGauge("overseer.stream.subscribers", () => hub.SubscriberCount, "{subscriber}",
            "Live event-stream subscribers: SSE streams, WebSocket subscriptions and dashboard pages.");
        meter.CreateObservableGauge("overseer.stream.subscribers.behind", () => hub.BehindCount, "{subscriber}",
            "Subscribers whose buffer overflowed and that are re-reading from the store.");
        meter.CreateObservableGauge("overseer.approvals.pending", () => store.Read().ApprovalsPending, "{approval}",
            "Approvals waiting for a person.");
        meter.CreateObservableGauge("overseer.approvals.oldest.age", () => OldestApprovalAge(store, time), "s",
            "How long the oldest pending approval has waited (0 when none waits).");
        meter.CreateObservableGauge("overseer.agent.processes", () => processes.Read().Count, "{process}",
            "Processes the agents run (agent CLIs and the commands their tools started).");
        meter.CreateObservableGauge("overseer.agent.memory.rss", () => processes.Read().ResidentBytes, "By",
            "Resident memory of those processes together.");
    }

    private static IEnumerable<Measurement<long>> SessionsByStatus(IStoreGauges store)
    {
        foreach (var (status, count) in store.Read().SessionsByStatus)
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("status", status));
    }

    private static double OldestApprovalAge(IStoreGauges store, TimeProvider time) =>
        store.Read().OldestApprovalRequestedAt is { } at ? Math.Max(0, (time.GetUtcNow() - at).TotalSeconds) : 0;
}
