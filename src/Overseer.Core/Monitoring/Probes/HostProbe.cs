using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>Host checks: the value is the metric; the check fails only when the metric cannot be read (thresholds are rules).</summary>
internal sealed class HostProbe(IHostMetricSource source) : ICheckProbe
{
    public string Kind => "host";

    public Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken) =>
        source.ReadAsync(check.Metric!, check.Target, cancellationToken).AsTask();
}
