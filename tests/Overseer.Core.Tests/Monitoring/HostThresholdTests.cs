using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring;
using Overseer.Core.Monitoring.Probes;
using Overseer.Core.Templates;
using Overseer.Storage.Sqlite;

namespace Overseer.Core.Tests.Monitoring;

/// <summary>
/// The monitor's one loop over the real store, driven by a fake clock, with the host's numbers
/// from an injected source: a threshold with a duration fires when it has held that long.
/// </summary>
public sealed class HostThresholdTests
{
    private sealed class InjectedHost : IHostMetricSource
    {
        public double Cpu { get; set; }

        public int Reads;

        public ValueTask<CheckResult> ReadAsync(string metric, string? target, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Reads);
            return ValueTask.FromResult(new CheckResult(true, Cpu, "%", $"CPU {Cpu}% busy"));
        }
    }

    [Fact]
    public async Task Monitor_CpuAbove80For2m_OnAnInjectedSource_RaisesAfterTwoMinutesAndResolvesWhenItDrops()
    {
        await using var engine = await Engine.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        var host = new InjectedHost { Cpu = 20 };
        var options = Options.Create(new MonitoringOptions
        {
            Jitter = 0,
            Checks = [new CheckDefinition { Name = "cpu", Kind = "host", Metric = "cpu", Tier = "critical" }],
            Rules = [new AlertRuleDefinition { Name = "busy", Check = "cpu", When = "cpu > 80% for 2m", Clear = "< 70", ClearFor = "12s", Severity = "critical" }],
        });
        var store = new SqliteMonitoringStore(engine.Database);
        var templates = new TemplateCatalog(new SqliteTemplateStore(engine.Database), engine.Manager, time);
        var catalog = new MonitoringCatalog(options, store, templates, engine.ReadModel, time, NullLogger<MonitoringCatalog>.Instance);
        var states = new CheckStates();
        var alerts = new AlertEngine(engine.Store, store, new RunbookStarter(templates, store, time), NullLogger<AlertEngine>.Instance);
        var monitor = new CheckMonitor(catalog, states, alerts, [new HostProbe(host)], store, engine.Store, options, time, NullLogger<CheckMonitor>.Instance);
        await monitor.StartAsync(CancellationToken.None);
        try
        {
            async Task TickAsync(double cpu)
            {
                host.Cpu = cpu;
                var before = Volatile.Read(ref host.Reads);
                time.Advance(TimeSpan.FromSeconds(12));
                await Poll.UntilAsync(() => Task.FromResult(states.Get("cpu")), s => s is not null && s.At == time.GetUtcNow() && host.Reads > before, "the check's next result");
            }

            // The first run comes at once (no jitter); then every 12 s.
            await Poll.UntilAsync(() => Task.FromResult(states.Get("cpu")), s => s is not null, "the first result");
            for (var i = 0; i < 10; i++)
                await TickAsync(90);
            // 108 s above 80%: not yet.
            (await store.ListAlertsAsync(null, 10)).ShouldBeEmpty();
            await TickAsync(90);
            // 120 s: raised (the rules see a result just after it is recorded).
            var raised = await Poll.UntilAsync(() => store.ListAlertsAsync("firing", 10), a => a.Count == 1, "the alert");
            raised[0].RuleId.ShouldBe("busy");
            raised[0].Severity.ShouldBe("critical");
            raised[0].Message.ShouldContain("cpu is 90%");
            var events = await engine.Store.ReadAsync(0, 1000);
            var e = events.Single(x => x.Type == MonitoringEvents.AlertRaised);
            e.SessionId.ShouldBeNull();
            e.Data.Deserialize(MonitoringJson.Default.AlertRaisedData)!.Value.ShouldBe(90);

            // 75% is below the threshold but above the clear (hysteresis): it stays raised.
            await TickAsync(75);
            await TickAsync(75);
            (await store.ListAlertsAsync("firing", 10)).Count.ShouldBe(1);
            await TickAsync(40);
            await TickAsync(40);
            var resolved = await Poll.UntilAsync(() => store.ListAlertsAsync("resolved", 10), a => a.Count == 1, "the resolve");
            resolved[0].Id.ShouldBe(raised[0].Id);

            // The series holds every result, and the check's last one is its state.
            var series = await store.SeriesAsync("cpu", time.GetUtcNow() - TimeSpan.FromHours(1), TimeSpan.FromSeconds(1), time.GetUtcNow() - TimeSpan.FromDays(1));
            series.Count.ShouldBe(16);
            series[^1].Value.ShouldBe(40);
        }
        finally
        {
            await monitor.StopAsync(CancellationToken.None);
        }
    }
}
