using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Overseer.Core.Agents;

/// <summary>
/// Starts agent processes from one thread that lives as long as the server. bubblewrap runs with
/// <c>--die-with-parent</c> (PR_SET_PDEATHSIG), so an agent dies with the server; but Linux sends
/// that signal when the <em>thread</em> that forked it exits, not the process. Started from a pool
/// thread, agents were killed with SIGKILL (exit 137) mid-turn when the thread pool retired that
/// thread after a burst of load. Every runtime that starts a process goes through here.
/// </summary>
public static class AgentProcessLauncher
{
    // A blocking queue, not a channel: the consumer is a dedicated thread that must never return
    // to a pool (an await would move it to one).
    private static readonly BlockingCollection<Launch> Queue = [];
    private static readonly Lazy<Thread> Launcher = new(() =>
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "overseer-launcher" };
        thread.Start();
        return thread;
    });

    /// <summary>Starts <paramref name="process"/> on the launcher thread and waits until it has.</summary>
    public static void Start(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        _ = Launcher.Value;
        using var launch = new Launch(process);
        Queue.Add(launch);
        launch.Done.Wait();
        if (launch.Error is not null)
            ExceptionDispatchInfo.Throw(launch.Error);
        if (!launch.Started)
            throw new InvalidOperationException($"Could not start '{process.StartInfo.FileName}'.");
    }

    private static void Run()
    {
        foreach (var launch in Queue.GetConsumingEnumerable())
        {
            try
            {
                launch.Started = launch.Process.Start();
            }
            catch (Exception ex)
            {
                launch.Error = ex;
            }
            finally
            {
                launch.Done.Set();
            }
        }
    }

    private sealed class Launch(Process process) : IDisposable
    {
        public Process Process { get; } = process;
        public ManualResetEventSlim Done { get; } = new();
        public bool Started { get; set; }
        public Exception? Error { get; set; }

        public void Dispose() => Done.Dispose();
    }
}
