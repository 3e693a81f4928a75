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
        var found = 0;
        foreach (var pid in Marked(variable, value))
        {
            ProcessGroup.SignalProcessAndGroup(pid, signal);
            found++;
        }
        return found;
    }

    /// <summary>The processes (other than this one) whose environment carries <c>variable=value</c>.</summary>
    public static IEnumerable<int> Marked(string variable, string value)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc"))
            yield break;
        var mark = Encoding.UTF8.GetBytes($"{variable}={value}\0");
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
                continue;
            if (Carries(dir, mark))
                yield return pid;
        }
    }

    private static bool Carries(string processDir, byte[] mark)
    {
        try
        {
            var environ = File.ReadAllBytes(Path.Combine(processDir, "environ"));
            // The mark may be the first variable, which has no NUL before it.
            var at = environ.AsSpan().IndexOf(mark);
            return at >= 0 && (at == 0 || environ[at - 1] == 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone, or not ours to read.
            return false;
        }
    }
}
