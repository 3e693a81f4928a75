using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>
/// Command checks: the argv runs in the agents' sandbox, in the monitoring work directory; passes
/// when it exits with the expected status (0) and its output holds the expected text. The value
/// is the exit status.
/// </summary>
internal sealed class CommandProbe(IAgentSandbox sandbox, IOptions<MonitoringOptions> options) : ICheckProbe
{
    public string Kind => "command";

    public async Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken)
    {
        var command = check.Command!;
        var work = Path.Combine(options.Value.WorkDirectory ?? Path.GetTempPath(), "checks", check.Id!);
        Directory.CreateDirectory(work);
        var start = new ProcessStartInfo { WorkingDirectory = work };
        var executable = Agents.ExecutableResolver.Find(command[0]) ?? command[0];
        SandboxedAgent walled;
        try
        {
            walled = sandbox.Wrap(start, executable, command.Skip(1).ToList(), new SandboxRequest("check-" + check.Id, "monitoring", work));
        }
        catch (SandboxUnavailableException ex)
        {
            return CheckResult.Fail(ex.Message);
        }
        using (walled)
        {
            try
            {
                var (exit, output) = await ArgvRunner.RunAsync(start, cancellationToken);
                var expected = check.ExpectStatus ?? 0;
                if (exit != expected)
                    return CheckResult.Fail($"exited {exit} (expected {expected}): {Head(output)}", exit);
                if (check.Contains is { Length: > 0 } text && !output.Contains(text, StringComparison.Ordinal))
                    return CheckResult.Fail($"exited {exit}, but the output does not contain \"{text}\": {Head(output)}", exit);
                return new CheckResult(true, exit, null, $"exited {exit}: {Head(output)}");
            }
            catch (Win32Exception ex)
            {
                return CheckResult.Fail($"{command[0]} cannot run: {ex.Message}");
            }
        }
    }

    private static string Head(string output)
    {
        var line = output.Trim();
        var newline = line.IndexOf('\n');
        if (newline >= 0)
            line = line[..newline];
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
