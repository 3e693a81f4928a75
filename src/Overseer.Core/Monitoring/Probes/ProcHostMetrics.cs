using System.Diagnostics;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>
/// This machine's numbers from <c>/proc</c> and <c>statvfs</c> (through <see cref="DriveInfo"/>).
/// CPU and network are rates: each read is measured against the previous one (the first against a
/// reading 200 ms earlier).
/// </summary>
internal sealed class ProcHostMetrics(TimeProvider time) : IHostMetricSource
{
    private static readonly TimeSpan FirstSpan = TimeSpan.FromMilliseconds(200);
    private readonly Lock _gate = new();
    private (ulong Busy, ulong Total)? _cpu;
    private readonly Dictionary<string, (ulong Bytes, long At)> _network = new(StringComparer.Ordinal);

    public async ValueTask<CheckResult> ReadAsync(string metric, string? target, CancellationToken cancellationToken)
    {
        try
        {
            return metric switch
            {
                "cpu" => await CpuAsync(cancellationToken),
                "memory" => Memory("MemTotal", "MemAvailable", "memory"),
                "swap" => Memory("SwapTotal", "SwapFree", "swap"),
                "disk" => Disk(target ?? "/"),
                "load" => ProcParsers.Load1(await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)) is { } load
                    ? new CheckResult(true, load, null, $"load {load:0.##}")
                    : CheckResult.Fail("/proc/loadavg could not be read."),
                _ => await NetworkAsync(target, cancellationToken),
            };
        }
        catch (IOException ex)
        {
            return CheckResult.Fail($"{metric} could not be read: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return CheckResult.Fail($"{metric} could not be read: {ex.Message}");
        }
    }

    private async Task<CheckResult> CpuAsync(CancellationToken cancellationToken)
    {
        (ulong Busy, ulong Total)? previous;
        lock (_gate)
            previous = _cpu;
        if (previous is null)
        {
            previous = ProcParsers.CpuTimes(await File.ReadAllTextAsync("/proc/stat", cancellationToken));
            await Task.Delay(FirstSpan, time, cancellationToken);
        }
        var now = ProcParsers.CpuTimes(await File.ReadAllTextAsync("/proc/stat", cancellationToken));
        if (now is not { } current || previous is not { } before)
            return CheckResult.Fail("/proc/stat could not be read.");
        lock (_gate)
            _cpu = current;
        var total = current.Total - before.Total;
        var percent = total == 0 ? 0 : 100.0 * (current.Busy - before.Busy) / total;
        return new CheckResult(true, Math.Round(percent, 1), "%", $"CPU {percent:0.#}% busy");
    }

    private static CheckResult Memory(string totalField, string freeField, string what)
    {
        var meminfo = File.ReadAllText("/proc/meminfo");
        if (ProcParsers.MeminfoKb(meminfo, totalField) is not { } total || ProcParsers.MeminfoKb(meminfo, freeField) is not { } free)
            return CheckResult.Fail($"/proc/meminfo has no {totalField}/{freeField}.");
        var percent = total == 0 ? 0 : 100.0 * (total - free) / total;
        return new CheckResult(true, Math.Round(percent, 1), "%", $"{what} {percent:0.#}% used of {total / 1024} MiB");
    }

    private static CheckResult Disk(string mount)
    {
        var drive = new DriveInfo(mount);
        if (!drive.IsReady || drive.TotalSize == 0)
            return CheckResult.Fail($"{mount} is not a mounted file system.");
        var percent = 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / drive.TotalSize;
        return new CheckResult(true, Math.Round(percent, 1), "%", $"{mount} {percent:0.#}% used, {drive.AvailableFreeSpace / (1024 * 1024 * 1024.0):0.#} GiB free");
    }

    private async Task<CheckResult> NetworkAsync(string? iface, CancellationToken cancellationToken)
    {
        var key = iface ?? "";
        (ulong Bytes, long At)? previous;
        lock (_gate)
            previous = _network.TryGetValue(key, out var p) ? p : null;
        if (previous is null)
        {
            if (ProcParsers.NetworkBytes(await File.ReadAllTextAsync("/proc/net/dev", cancellationToken), iface) is { } first)
                previous = (first, Stopwatch.GetTimestamp());
            await Task.Delay(FirstSpan, time, cancellationToken);
        }
        if (ProcParsers.NetworkBytes(await File.ReadAllTextAsync("/proc/net/dev", cancellationToken), iface) is not { } bytes || previous is not { } before)
            return CheckResult.Fail(iface is null ? "/proc/net/dev lists no interface." : $"No network interface {iface}.");
        var at = Stopwatch.GetTimestamp();
        lock (_gate)
            _network[key] = (bytes, at);
        var seconds = Stopwatch.GetElapsedTime(before.At, at).TotalSeconds;
        var rate = seconds <= 0 || bytes < before.Bytes ? 0 : (bytes - before.Bytes) / seconds;
        return new CheckResult(true, Math.Round(rate), "B/s", $"{iface ?? "network"} {rate / 1024:0.#} KiB/s");
    }
}
