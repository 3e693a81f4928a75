using System.Globalization;
using System.Text;

namespace Overseer.Core.Agents;

/// <summary>
/// Finds agent processes by a mark in their environment, which every process an agent starts
/// inherits, and signals them with their process groups. This catches what a process-group
/// signal misses: tools the agent ran in groups of their own, and processes a crashed server
/// or a killed agent left behind (reparented, so no longer found by parentage).
/// </summary>
public static class OrphanReaper
{
    public const string OwnerVariable = "OVERSEER_AGENT_OWNER";
    public const string SessionVariable = "OVERSEER_SESSION_ID";

    /// <summary>Kills every process of a previous run of this server (same owner mark).</summary>
    public static int Reap(string owner) => Signal(OwnerVariable, owner, ProcessGroup.SigKill);

    /// <summary>Signals every process carrying <c>variable=value</c>; returns how many were found.</summary>
    public static int Signal(string variable, string value, int signal)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
            return 0;
        var mark = Encoding.UTF8.GetBytes($"{variable}={value}\0");
        var self = Environment.ProcessId;
        var found = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
                continue;
            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                // The mark may be the first variable, which has no NUL before it.
                var at = environ.AsSpan().IndexOf(mark);
                if (at < 0 || (at > 0 && environ[at - 1] != 0))
                    continue;
                ProcessGroup.SignalProcessAndGroup(pid, signal);
                found++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        return found;
    }
}
