using System.Diagnostics;
using System.Text;

namespace Overseer.Core.Tests.Safety.Oracle;

/// <summary>
/// Runs one command for real under bubblewrap: the whole system read-only, the world's root bound read-write at
/// its own path, a private /tmp, no network, its own PID namespace, killed after a timeout. The argv is built
/// here; the corpus line is only ever the single <c>-c</c> argument of /bin/bash inside the sandbox.
/// </summary>
internal static class OracleSandbox
{
    public const string Bwrap = "/usr/bin/bwrap";
    private const int OutputLimit = 64 * 1024;

    public static IReadOnlyList<string> Argv(OracleWorld world, string command) =>
    [
        "--ro-bind", "/", "/",
        "--dev", "/dev",
        "--proc", "/proc",
        "--tmpfs", "/tmp",
        "--bind", world.Root, world.Root,
        "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
        "--die-with-parent", "--new-session",
        "--chdir", world.Project,
        "--clearenv",
        "--setenv", "HOME", world.Home,
        "--setenv", "PATH", $"{world.Bin}:/usr/local/bin:/usr/bin:/bin",
        "--setenv", "LANG", "C.UTF-8",
        "--setenv", "TMPDIR", "/tmp",
        "--setenv", "GIT_CONFIG_NOSYSTEM", "1",
        "/bin/bash", "--noprofile", "--norc", "-c", command,
    ];

    /// <summary>Runs the command; returns its stdout and stderr together and whether it had to be killed.</summary>
    public static async Task<(string Output, bool TimedOut)> RunAsync(OracleWorld world, string command, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Bwrap)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in Argv(world, command))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bwrap did not start");
        process.StandardInput.Close();
        var stdout = ReadLimitedAsync(process.StandardOutput);
        var stderr = ReadLimitedAsync(process.StandardError);
        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return ((await stdout) + (await stderr), timedOut);
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            if (text.Length < OutputLimit)
                text.Append(buffer, 0, Math.Min(read, OutputLimit - text.Length));
        }
        return text.ToString();
    }
}
