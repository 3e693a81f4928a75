using System.Diagnostics;
using Overseer.Core.Agents;

namespace Overseer.Core.Sandbox;

/// <summary>Finds out once whether the sandbox works on this machine, and which limits it can hold.</summary>
internal static class SandboxProbe
{
    public static SandboxStatus Run(SandboxOptions options)
    {
        if (options.Mode == SandboxMode.Off)
            return new SandboxStatus("off", false, "Sandbox:Mode is off: agents run unsandboxed", "none");
        if (!OperatingSystem.IsLinux())
            return new SandboxStatus("bubblewrap", false, "bubblewrap needs Linux", "none");
        var bwrap = ExecutableResolver.Find(options.BubblewrapPath);
        if (bwrap is null)
            return new SandboxStatus("bubblewrap", false, $"'{options.BubblewrapPath}' not found", "none");
        var (ok, detail) = TryRun(bwrap);
        if (!ok)
            return new SandboxStatus("bubblewrap", false, detail, "none");
        var group = ResourceGroup.TryCreate($"probe-{Environment.ProcessId}", new SandboxLimits { MemoryMb = 64, Processes = 64, CpuPercent = 100 }, out var problem);
        var limits = group is null
            ? $"file size only (rlimit); memory, processes and CPU need writable cgroups: {problem}"
            : $"memory, processes, CPU ({group.Kind}); file size (rlimit)";
        group?.Dispose();
        return new SandboxStatus("bubblewrap", true, detail, limits);
    }

    private static (bool, string) TryRun(string bwrap)
    {
        try
        {
            var start = new ProcessStartInfo(bwrap) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--version" })
                start.ArgumentList.Add(arg);
            using var version = Process.Start(start)!;
            var name = version.StandardOutput.ReadToEnd().Trim();
            version.WaitForExit(5000);

            // A real sandbox, as agents get it, running `true`.
            var probe = new ProcessStartInfo(bwrap) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--die-with-parent", "--unshare-pid", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp" })
                probe.ArgumentList.Add(arg);
            foreach (var link in new[] { "/bin", "/lib", "/lib64", "/sbin" })
                if (new DirectoryInfo(link).LinkTarget is { } target)
                {
                    probe.ArgumentList.Add("--symlink");
                    probe.ArgumentList.Add(target);
                    probe.ArgumentList.Add(link);
                }
                else if (Directory.Exists(link))
                {
                    probe.ArgumentList.Add("--ro-bind");
                    probe.ArgumentList.Add(link);
                    probe.ArgumentList.Add(link);
                }
            probe.ArgumentList.Add("--");
            probe.ArgumentList.Add(ExecutableResolver.Find("true") ?? "/usr/bin/true");
            using var process = Process.Start(probe)!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(10_000))
            {
                process.Kill(entireProcessTree: true);
                return (false, "bubblewrap did not finish a trial run");
            }
            return process.ExitCode == 0
                ? (true, name.Length > 0 ? name : bwrap)
                : (false, $"bubblewrap failed a trial run: {error.GetAwaiter().GetResult().Trim()}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return (false, ex.Message);
        }
    }
}
