using System.Diagnostics;
using Overseer.Core.Agents;

namespace Overseer.Core.Tests.Sandbox;

/// <summary>
/// An agent in bubblewrap (<c>--die-with-parent</c>) must outlive the thread that asked for it:
/// Linux kills it when the thread that forked it exits, and pool threads come and go.
/// </summary>
public sealed class AgentProcessLauncherTests
{
    [Fact]
    public async Task Start_FromAThreadThatThenExits_TheSandboxedAgentLivesOn()
    {
        Process? agent = null;
        string? threadDirectory = null;
        var starter = new Thread(() =>
        {
            // The thread's own /proc entry is gone once it has fully exited (the kernel has sent its
            // children's death signals by then). The first field of its stat is its id.
            threadDirectory = "/proc/self/task/" + File.ReadAllText("/proc/thread-self/stat").Split(' ')[0];
            agent = new Process { StartInfo = EchoInBubblewrap() };
            AgentProcessLauncher.Start(agent);
        });
        starter.Start();
        starter.Join();
        using var process = agent!;
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(Directory.Exists(threadDirectory!)), exists => !exists, "the starting thread to exit");

            // The kill, when it comes, follows the thread's exit within milliseconds; there is no
            // event for "it did not come", so the agent gets a second to die before it must answer.
            var died = process.WaitForExit(TimeSpan.FromSeconds(1));
            Assert.False(died, $"the agent was killed (exit {(died ? process.ExitCode : 0)}) when the thread that started it exited");
            await process.StandardInput.WriteLineAsync("still here");
            await process.StandardInput.FlushAsync();
            var echoed = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal("still here", echoed);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Start_AMissingProgram_ThrowsOnTheCallersThread()
    {
        using var process = new Process { StartInfo = new ProcessStartInfo("/nonexistent/agent") { UseShellExecute = false } };

        Assert.ThrowsAny<System.ComponentModel.Win32Exception>(() => AgentProcessLauncher.Start(process));
    }

    private static ProcessStartInfo EchoInBubblewrap()
    {
        var start = new ProcessStartInfo("bwrap") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--die-with-parent", "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "cat" })
            start.ArgumentList.Add(argument);
        return start;
    }
}
