using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Core.Monitoring.Probes;
using Overseer.Core.Telemetry;
using Overseer.Core.Templates;
using Overseer.Storage.Sqlite;

namespace Overseer.Core.Tests.Monitoring;

/// <summary>Each check's run is measured on Overseer's meter, so <c>/metrics</c> shows which checks are slow.</summary>
public sealed class CheckDurationMetricTests
{
    private sealed class FailingHost : IHostMetricSource
    {
        public ValueTask<CheckResult> ReadAsync(string metric, string? target, CancellationToken cancellationToken) =>
            ValueTask.FromResult(CheckResult.Fail("no such disk", 0, "%"));
    }

    [Fact]
    public async Task Monitor_RunningACheck_RecordsItsDurationWithTheCheckKindAndOutcome()
    {
        // The meter is the process's: other tests' checks record too, so only this check's name counts.
        var name = "disk-" + Guid.NewGuid().ToString("N")[..8];
        var seen = new ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)>();
        // Created before the listener starts, so it is among the instruments the listener is shown.
        var duration = MonitoringMetrics.CheckDuration;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument == duration)
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
                map[tag.Key] = tag.Value;
            if (Equals(map.GetValueOrDefault("check"), name))
                seen.Enqueue((value, map));
        });
        listener.Start();

        await using var engine = await Engine.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new MonitoringOptions
        {
            Jitter = 0,
            Checks = [new CheckDefinition { Name = name, Kind = "host", Metric = "cpu", Tier = "critical" }],
        });
        var store = new SqliteMonitoringStore(engine.Database);
        var templates = new TemplateCatalog(new SqliteTemplateStore(engine.Database), engine.Manager, time);
        var catalog = new MonitoringCatalog(options, store, templates, engine.ReadModel, time, NullLogger<MonitoringCatalog>.Instance);
        var states = new CheckStates();
        var alerts = new AlertEngine(engine.Store, store, new RunbookStarter(templates, store, time), NullLogger<AlertEngine>.Instance);
        var monitor = new CheckMonitor(catalog, states, alerts, [new HostProbe(new FailingHost())], store, engine.Store, options, time, NullLogger<CheckMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(states.Get(name)), s => s is not null, "the check's first result");
            await Poll.UntilAsync(() => Task.FromResult(seen.Count), n => n > 0, "the check's first measured run");
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }

        var (seconds, tags) = seen.First();
        seconds.ShouldBeGreaterThanOrEqualTo(0);
        (tags["kind"], tags["outcome"]).ShouldBe(("host", "fail"));
    }
}
