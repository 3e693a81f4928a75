using System.ComponentModel;
using System.Diagnostics;
using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>systemd unit checks: <c>systemctl is-active &lt;unit&gt;</c> answers active. The value is 1 when active, else 0.</summary>
internal sealed class SystemdProbe : ICheckProbe
{
    public string Kind => "systemd";

    public async Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("systemctl");
        start.ArgumentList.Add("is-active");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(check.Target!);
        try
        {
            var (_, output) = await ArgvRunner.RunAsync(start, cancellationToken);
            var state = output.Trim();
            return state == "active"
                ? new CheckResult(true, 1, null, $"{check.Target} is active")
                : CheckResult.Fail($"{check.Target} is {(state.Length == 0 ? "unknown" : state)}", 0);
        }
        catch (Win32Exception ex)
        {
            return CheckResult.Fail($"systemctl cannot run here: {ex.Message}");
        }
    }
}
