using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>Runs one kind of check. The caller bounds it with the check's timeout through <paramref name="cancellationToken"/>.</summary>
public interface ICheckProbe
{
    string Kind { get; }

    Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken);
}
