using System.Globalization;
using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>
/// Process checks: by name (how many processes have that name in <c>/proc/*/comm</c>), or by an
/// absolute pid file (the pid it names is alive). The value is the count.
/// </summary>
internal sealed class ProcessProbe : ICheckProbe
{
    public string Kind => "process";

    public async Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken)
    {
        var target = check.Target!;
        if (Path.IsPathFullyQualified(target))
            return await PidFileAsync(target, cancellationToken);
        // comm holds at most 15 characters of the name.
        var name = target.Length > 15 ? target[..15] : target;
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (pid.Length == 0 || !char.IsAsciiDigit(pid[0]))
                continue;
            try
            {
                if ((await File.ReadAllTextAsync(Path.Combine(dir, "comm"), cancellationToken)).TrimEnd('\n') == name)
                    count++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return count > 0
            ? new CheckResult(true, count, null, $"{count} {target} process{(count == 1 ? "" : "es")} running")
            : CheckResult.Fail($"no {target} process is running", 0);
    }

    private static async Task<CheckResult> PidFileAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return CheckResult.Fail($"{path} cannot be read: {ex.Message}", 0);
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            return CheckResult.Fail($"{path} does not hold a pid", 0);
        return Directory.Exists($"/proc/{pid}")
            ? new CheckResult(true, 1, null, $"pid {pid} from {path} is running")
            : CheckResult.Fail($"pid {pid} from {path} is not running", 0);
    }
}
