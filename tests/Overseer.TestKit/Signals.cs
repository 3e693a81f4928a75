using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Overseer.TestKit;

/// <summary>POSIX signals and the tear-down every child process in the tests shares.</summary>
public static partial class Signals
{
    public const int Interrupt = 2;
    public const int Terminate = 15;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when it could not be sent.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Kills the process and everything it started, if still running, and releases it.</summary>
    public static async ValueTask StopAndDisposeAsync(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>Waits for the process to exit; past <paramref name="timeout"/> kills it and fails with what it showed.</summary>
    public static async Task WaitForExitOrKillAsync(Process process, TimeSpan timeout, Func<string> shown)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"overseer did not exit within {timeout}:\n{shown()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
