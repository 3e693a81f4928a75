using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Monitoring.Probes;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Monitoring;

/// <summary>
/// Runs every check on its tier's interval from one loop: it sleeps on the clock until the next
/// check is due (or the catalog changes), starts what is due (at most
/// <see cref="MonitoringOptions.MaxConcurrent"/> at once, a check never beside itself), and each
/// result is stored in the time series, kept as the check's state, announced as
/// <c>check.changed</c> when its status changes, and shown to the rules. Intervals are spread by
/// the jitter; once every 5 minutes old results are averaged and dropped.
/// </summary>
public sealed partial class CheckMonitor(
    MonitoringCatalog catalog,
    CheckStates states,
    AlertEngine alerts,
    IEnumerable<ICheckProbe> probes,
    IMonitoringStore store,
    IEventStore events,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<CheckMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan CompactEvery = TimeSpan.FromMinutes(5);
    private readonly Dictionary<string, ICheckProbe> _probes = probes.ToDictionary(p => p.Kind, StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly List<Task> _tasks = [];
    private readonly Random _random = new();
    private SemaphoreSlim _slots = null!;
    private DateTimeOffset _nextCompaction;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
            return;
        _slots = new SemaphoreSlim(options.Value.MaxConcurrent);
        _nextCompaction = time.GetUtcNow();
        try
        {
            states.Seed(await store.LatestSamplesAsync(stoppingToken));
            while (!stoppingToken.IsCancellationRequested)
            {
                catalog.Changed.Reset();
                TimeSpan wait;
                try
                {
                    wait = await PassAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPassFailed(ex);
                    wait = TimeSpan.FromSeconds(5);
                }
                await catalog.Changed.WaitAsync(wait, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Task[] running;
            lock (_tasks)
                running = [.. _tasks];
            await Task.WhenAll(running);
        }
    }

    /// <summary>Starts the checks that are due; answers how long until the next one.</summary>
    internal async Task<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (now >= _nextCompaction)
        {
            _nextCompaction = now + CompactEvery;
            await store.CompactAsync(now - options.Value.RawRetention, now - options.Value.RollupRetention, cancellationToken);
        }
        var earliest = now + Schedules.Wakeup.MaxWait;
        lock (_running)
        {
            foreach (var id in _due.Keys.Where(id => snapshot.Check(id) is null).ToList())
            {
                _due.Remove(id);
                states.Remove(id);
            }
        }
        foreach (var check in snapshot.Checks)
        {
            DateTimeOffset due;
            lock (_running)
            {
                if (!_due.TryGetValue(check.Id, out due))
                    // A new check runs soon, somewhere within the jitter's share of its interval.
                    _due[check.Id] = due = now + check.Interval * (options.Value.Jitter * _random.NextDouble());
                if (due <= now && _running.Add(check.Id))
                {
                    _due[check.Id] = due = now + Spread(check.Interval);
                    Track(RunAsync(snapshot, check, cancellationToken));
                }
            }
            if (due < earliest)
                earliest = due;
        }
        var next = earliest < _nextCompaction ? earliest : _nextCompaction;
        return next - now;
    }

    private TimeSpan Spread(TimeSpan interval) => interval * (1 + (options.Value.Jitter * (_random.NextDouble() - 0.5)));

    private void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.RemoveAll(t => t.IsCompleted);
            _tasks.Add(task);
        }
    }

    private async Task RunAsync(MonitoringSnapshot snapshot, CheckEntry check, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            await _slots.WaitAsync(cancellationToken);
            try
            {
                var (result, durationMs) = await ProbeAsync(check, cancellationToken);
                await RecordAsync(snapshot, check, result, durationMs, cancellationToken);
            }
            finally
            {
                _slots.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogCheckFailed(ex, check.Id);
        }
        finally
        {
            lock (_running)
                _running.Remove(check.Id);
        }
    }

    /// <summary>Runs a check now, outside its interval (a person asked); answers its result.</summary>
    public async Task<CheckState?> RunNowAsync(string checkId, CancellationToken cancellationToken)
    {
        var snapshot = await catalog.SnapshotAsync(cancellationToken);
        if (snapshot.Check(checkId) is not { } check)
            return null;
        var (result, durationMs) = await ProbeAsync(check, cancellationToken);
        await RecordAsync(snapshot, check, result, durationMs, cancellationToken);
        return states.Get(checkId);
    }

    private async Task<(CheckResult Result, double DurationMs)> ProbeAsync(CheckEntry check, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(check.Definition.TimeoutSeconds ?? 10);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        CheckResult result;
        try
        {
            result = _probes.TryGetValue(check.Definition.Kind!, out var probe)
                ? await probe.RunAsync(check.Definition, deadline.Token)
                : CheckResult.Fail($"No probe for kind '{check.Definition.Kind}'.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = CheckResult.Fail($"No answer within {timeout.TotalSeconds:0.#} s.");
        }
        var durationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        Telemetry.MonitoringMetrics.RecordCheck(check.Name, check.Definition.Kind!, result.Ok, durationMs);
        return (result, durationMs);
    }

    private async Task RecordAsync(MonitoringSnapshot snapshot, CheckEntry check, CheckResult result, double durationMs, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var status = result.Ok ? "ok" : "failing";
        await store.AddSamplesAsync([new CheckSample(check.Id, at, result.Value, result.Ok)], cancellationToken);
        var previous = states.Set(check.Id, new CheckState(status, result, at, durationMs));
        if (previous != status && (previous is not null || !result.Ok))
        {
            await events.AppendAsync([EventFactory.Create(null, MonitoringEvents.CheckChanged, AlertEngine.Actor,
                new CheckChangedData(check.Id, status, previous, result.Value, result.Message), MonitoringJson.Default.CheckChangedData)], cancellationToken);
        }
        await alerts.ObserveAsync(snapshot, check, result, at, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The monitor's pass failed; it looks again shortly")]
    private partial void LogPassFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Check {CheckId} could not be recorded")]
    private partial void LogCheckFailed(Exception exception, string checkId);
}
