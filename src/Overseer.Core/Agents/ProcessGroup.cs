using System.Globalization;
using System.Runtime.InteropServices;

namespace Overseer.Core.Agents;

/// <summary>Signals to a whole process group (an agent and everything it started).</summary>
public static partial class ProcessGroup
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to the group led by <paramref name="leaderPid"/>; false when it is gone.</summary>
    public static bool Signal(int leaderPid, int signal) => !OperatingSystem.IsWindows() && Kill(-leaderPid, signal) == 0;

    /// <summary>Signals one process, not its group (which may be the agent's own).</summary>
    public static bool SignalProcess(int pid, int signal) => !OperatingSystem.IsWindows() && Kill(pid, signal) == 0;

    /// <summary>Signals a process and the whole group it belongs to.</summary>
    public static void SignalProcessAndGroup(int pid, int signal)
    {
        if (OperatingSystem.IsWindows())
            return;
        if (GroupOf(pid) is { } group && group > 1)
            Kill(-group, signal);
        Kill(pid, signal);
    }

    private static int? GroupOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // After the parenthesised command name: state, ppid, pgrp.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[2], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
