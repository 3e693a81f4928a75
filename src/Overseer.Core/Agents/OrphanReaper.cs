using System.Globalization;
using System.Text;
using Overseer.Core.Agents.ClaudeCode;

namespace Overseer.Core.Agents;

/// <summary>
/// Finds agent processes a previous run of this server left behind (it was killed before it
/// could stop them) by the owner mark in their environment, and kills their process groups.
/// </summary>
public static class OrphanReaper
{
    public static int Reap(string owner)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
            return 0;
        var mark = Encoding.UTF8.GetBytes($"{ClaudeCommandLine.OwnerVariable}={owner}\0");
        var self = Environment.ProcessId;
        var killed = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
                continue;
            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(mark) < 0)
                    continue;
                ProcessGroup.Signal(pid, ProcessGroup.SigKill);
                killed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        return killed;
    }
}
