using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Overseer.Core.Sandbox;

namespace Overseer.Bench.Load;

/// <summary>
/// <c>sandbox</c>: what the wall costs at each agent start. Starts a program that prints one
/// line and exits, bare (setsid, as with <c>Sandbox:Mode=Off</c>) and in the sandbox exactly as
/// agents get it (bubblewrap, control groups, rlimit), and prints the median, p90 and max time
/// to its first line and to its exit, over N runs each.
/// </summary>
internal static class SandboxBench
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var runs = 20;
        if (args.Length >= 2 && args[0] == "--runs" && int.TryParse(args[1], CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 1000)
            runs = n;
        var root = Directory.CreateTempSubdirectory("overseer-bench-sandbox-");
        try
        {
            var project = Directory.CreateDirectory(Path.Combine(root.FullName, "project")).FullName;
            var bare = Sandbox(SandboxMode.Off, root.FullName);
            var walled = Sandbox(SandboxMode.Bubblewrap, root.FullName);
            if (!walled.Status.Working)
            {
                await output.WriteLineAsync($"the sandbox cannot run here: {walled.Status.Detail}");
                return 1;
            }
            await output.WriteLineAsync($"sandbox: {walled.Status.Detail}; limits: {walled.Status.Limits}");
            // One of each first, so neither pays for a cold page cache.
            await StartAsync(bare, project, "warm-bare");
            await StartAsync(walled, project, "warm-walled");
            var bareTimes = new List<(double Ready, double Exit)>();
            var walledTimes = new List<(double Ready, double Exit)>();
            for (var i = 0; i < runs; i++)
            {
                bareTimes.Add(await StartAsync(bare, project, "b" + i.ToString(CultureInfo.InvariantCulture)));
                walledTimes.Add(await StartAsync(walled, project, "w" + i.ToString(CultureInfo.InvariantCulture)));
            }
            await output.WriteLineAsync($"runs: {runs} each (a program that prints one line and exits)");
            await Report(output, "bare     ", bareTimes);
            await Report(output, "sandboxed", walledTimes);
            var cost = Median(walledTimes.Select(t => t.Ready)) - Median(bareTimes.Select(t => t.Ready));
            await output.WriteLineAsync($"sandbox start cost (median, to first line): {cost.ToString("F1", CultureInfo.InvariantCulture)} ms");
            return 0;
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static IAgentSandbox Sandbox(SandboxMode mode, string root) =>
        new AgentSandbox(Options.Create(new SandboxOptions { Mode = mode, HomesDirectory = Path.Combine(root, "homes") }), TimeProvider.System);

    private static async Task<(double Ready, double Exit)> StartAsync(IAgentSandbox sandbox, string project, string session)
    {
        var start = new ProcessStartInfo { WorkingDirectory = project, RedirectStandardOutput = true, UseShellExecute = false };
        var clock = Stopwatch.StartNew();
        using var walled = sandbox.Wrap(start, "/bin/sh", ["-c", "echo ready"], new SandboxRequest("s_bench_" + session, "bench", project));
        using var process = Process.Start(start)!;
        await process.StandardOutput.ReadLineAsync();
        var ready = clock.Elapsed.TotalMilliseconds;
        await process.WaitForExitAsync();
        return (ready, clock.Elapsed.TotalMilliseconds);
    }

    private static Task Report(TextWriter output, string what, List<(double Ready, double Exit)> times)
    {
        var ready = times.Select(t => t.Ready).Order().ToList();
        var exit = times.Select(t => t.Exit).Order().ToList();
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        return output.WriteLineAsync($"{what}  first line: median {F(Median(ready))} ms, p90 {F(ready[(int)(ready.Count * 0.9) - (ready.Count >= 10 ? 1 : 0)])} ms, max {F(ready[^1])} ms · exit: median {F(Median(exit))} ms");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
