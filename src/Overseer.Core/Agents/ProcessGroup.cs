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
    public static bool Signal(int leaderPid, int signal) => OperatingSystem.IsWindows() ? false : Kill(-leaderPid, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
