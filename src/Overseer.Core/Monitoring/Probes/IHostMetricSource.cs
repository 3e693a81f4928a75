namespace Overseer.Core.Monitoring.Probes;

/// <summary>
/// Where host checks read the machine's numbers: <c>/proc</c> and <c>statvfs</c> on this host
/// (<see cref="ProcHostMetrics"/>), or a source a test injects.
/// </summary>
public interface IHostMetricSource
{
    /// <summary>The metric's value now (cpu, memory, swap, disk: percent used; load: 1-minute load; network: bytes/s).</summary>
    /// <param name="target">The mount (disk) or interface (network); null for the whole machine.</param>
    ValueTask<CheckResult> ReadAsync(string metric, string? target, CancellationToken cancellationToken);
}
