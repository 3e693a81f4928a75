using System.Diagnostics;
using Microsoft.Extensions.Options;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Tests.Sandbox;

/// <summary>Real bubblewrap sandboxes, as agents get them, running small shell programs.</summary>
public sealed class AgentSandboxTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _project;
    private readonly string _data;

    public AgentSandboxTests()
    {
        _project = _root.Create("projects/app");
        _data = _root.Create("data");
        File.WriteAllText(Path.Combine(_data, "admin.token"), "ovs_secret_token");
        Directory.CreateDirectory(Path.Combine(_project, ".git", "hooks"));
        File.WriteAllText(Path.Combine(_project, ".git", "config"), "[core]\n");
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Wrap_SeesTheProjectButNotTheDataDirectoryOrOtherHostFiles()
    {
        var result = await RunAsync($"echo made > made.txt; ls {_data} 2>&1; cat {_data}/admin.token 2>&1; ls /root 2>&1; echo home=$HOME; id -u");

        Assert.Equal("made\n", await File.ReadAllTextAsync(Path.Combine(_project, "made.txt")));
        Assert.DoesNotContain("ovs_secret_token", result.Output, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", result.Output, StringComparison.Ordinal);
        Assert.Contains("home=/home/agent", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrap_GitConfigAndHooksAreReadOnly()
    {
        var result = await RunAsync("echo '[core] fsmonitor = x' >> .git/config; echo x > .git/hooks/pre-commit; echo done");

        Assert.Equal("[core]\n", await File.ReadAllTextAsync(Path.Combine(_project, ".git", "config")));
        Assert.False(File.Exists(Path.Combine(_project, ".git", "hooks", "pre-commit")));
        Assert.Contains("Read-only file system", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrap_HasItsOwnPidNamespace()
    {
        var result = await RunAsync("ls /proc | grep -c '^[0-9]'");

        Assert.True(int.Parse(result.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture) < 10, result.Output);
    }

    [Fact]
    public async Task Wrap_NetworkNone_CannotReachALoopbackServerThatFullCan()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var probe = $"if (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null; then echo reached; else echo unreachable; fi";

        var none = await RunAsync(probe, new SandboxOptions { HomesDirectory = _root.Create("homes"), Network = NetworkAccess.None }, "/bin/bash");
        var full = await RunAsync(probe, null, "/bin/bash");

        Assert.Contains("unreachable", none.Output, StringComparison.Ordinal);
        Assert.Contains("reached", full.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", full.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrap_PlantedLinkInTheHome_IsReplacedNotWrittenThrough()
    {
        var homes = _root.Create("homes");
        var victim = Path.Combine(_data, "victim.txt");
        await File.WriteAllTextAsync(victim, "original");
        Directory.CreateDirectory(Path.Combine(homes, "s_link", ".claude"));
        File.CreateSymbolicLink(Path.Combine(homes, "s_link", ".claude", "settings.json"), victim);

        SandboxHome.Prepare(homes, "s_link", null);

        Assert.Equal("original", await File.ReadAllTextAsync(victim));
        Assert.Null(new FileInfo(Path.Combine(homes, "s_link", ".claude", "settings.json")).LinkTarget);
    }

    private async Task<(int Exit, string Output)> RunAsync(string script, SandboxOptions? options = null, string shell = "/bin/sh")
    {
        options ??= new SandboxOptions { HomesDirectory = _root.Create("homes") };
        var sandbox = new AgentSandbox(Options.Create(options), TimeProvider.System);
        Assert.True(sandbox.Status.Working, sandbox.Status.Detail);
        var start = new ProcessStartInfo { WorkingDirectory = _project, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var walled = sandbox.Wrap(start, shell, ["-c", script], new SandboxRequest("s_test" + Guid.NewGuid().ToString("N")[..6], "app", _project));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout + await stderr);
    }
}
