using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;

namespace Overseer.Core.Sandbox;

/// <summary>
/// Runs agents inside bubblewrap (see <see cref="BubblewrapCommand"/>), each in its own control
/// groups for memory, processes and CPU, with a file-size rlimit; or bare when the sandbox is
/// explicitly off.
/// </summary>
internal sealed class AgentSandbox(IOptions<SandboxOptions> options, TimeProvider time) : IAgentSandbox
{
    // Joins the control groups named before "--", then becomes the command after it. A fixed
    // script: the paths and the command are its arguments, never part of its text.
    private const string JoinScript = "for f do [ \"$f\" = -- ] && break; echo $$ > \"$f\" || exit 125; shift; done; shift; exec \"$@\"";

    private readonly SandboxOptions _options = options.Value;
    private readonly SandboxLimitWatch _limitWatch = new(time);
    private readonly Lazy<SandboxStatus> _status = new(() => SandboxProbe.Run(options.Value));

    public SandboxStatus Status => _status.Value;

    public SandboxedAgent Wrap(ProcessStartInfo start, string executable, IReadOnlyList<string> arguments, SandboxRequest request)
    {
        var (network, limits) = _options.For(request.ProjectName);
        var args = start.ArgumentList;
        args.Clear();
        var setsid = ExecutableResolver.Find("setsid");
        if (_options.Mode == SandboxMode.Off)
        {
            // setsid makes the agent a process-group leader, so stopping it stops everything it started.
            start.FileName = setsid ?? executable;
            if (setsid is not null)
                args.Add(executable);
            foreach (var argument in arguments)
                args.Add(argument);
            return new SandboxedAgent(new AgentSandboxData("off", "full", new SandboxLimitsData(0, 0, 0, 0), "none",
                "Sandbox:Mode is off: the agent runs unsandboxed, as the server's user."), null, null);
        }

        var status = Status;
        if (!status.Working)
            throw new SandboxUnavailableException(
                $"The sandbox cannot run here ({status.Detail}). Install bubblewrap (apt-get install bubblewrap), or set Sandbox:Mode to off to run agents unsandboxed.");
        var homes = _options.HomesDirectory ?? throw new SandboxUnavailableException("Sandbox:HomesDirectory is not set.");
        var home = SandboxHome.Prepare(homes, request.SessionId, start.Environment.TryGetValue("HOME", out var sourceHome) ? sourceHome : null);
        var readOnly = _options.ReadOnlyPaths.Concat(ExecutableTree(executable)).Distinct(StringComparer.Ordinal).ToList();
        var plan = new SandboxPlan(request.WorkingDirectory, SandboxPlan.FindGitDirectory(request.WorkingDirectory), _options.GitConfigWritable, network, home, readOnly);

        var group = ResourceGroup.TryCreate(request.SessionId + "-" + Guid.NewGuid().ToString("N")[..8], limits, out var groupProblem);
        start.FileName = setsid ?? "/bin/sh";
        if (setsid is not null)
            args.Add("/bin/sh");
        args.Add("-c");
        args.Add(JoinScript);
        args.Add("sh");
        foreach (var file in group?.JoinFiles ?? [])
            args.Add(file);
        args.Add("--");
        if (limits.FileSizeMb > 0 && ExecutableResolver.Find("prlimit") is { } prlimit)
        {
            args.Add(prlimit);
            args.Add("--fsize=" + (limits.FileSizeMb * 1024 * 1024).ToString(CultureInfo.InvariantCulture));
        }
        args.Add(ExecutableResolver.Find(_options.BubblewrapPath)!);
        foreach (var argument in BubblewrapCommand.Build(plan))
            args.Add(argument);
        args.Add(RealPath(executable));
        foreach (var argument in arguments)
            args.Add(argument);

        var env = start.Environment;
        env["HOME"] = SandboxHome.MountPoint;
        env["XDG_CONFIG_HOME"] = SandboxHome.MountPoint + "/.config";
        env["XDG_CACHE_HOME"] = SandboxHome.MountPoint + "/.cache";
        env["XDG_DATA_HOME"] = SandboxHome.MountPoint + "/.local/share";
        env["XDG_STATE_HOME"] = SandboxHome.MountPoint + "/.local/state";
        env["TMPDIR"] = "/tmp";
        // Host sockets and session paths that do not exist inside.
        foreach (var hostOnly in new[] { "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "SSH_AUTH_SOCK", "OLDPWD" })
            env.Remove(hostOnly);

        var enforcement = group is null ? "rlimit" : group.Kind + "+rlimit";
        var report = new AgentSandboxData("bubblewrap", network == NetworkAccess.None ? "none" : "full",
            new SandboxLimitsData(group is null ? 0 : limits.MemoryMb, group is null ? 0 : limits.Processes, limits.FileSizeMb, group is null ? 0 : limits.CpuPercent),
            enforcement, group is null ? $"memory, process and CPU limits are not enforced: {groupProblem}" : null);
        return new SandboxedAgent(report, group, _limitWatch);
    }

    /// <summary>
    /// What must be visible for the executable to run: the file itself, or for a program inside
    /// <c>node_modules</c> the whole outermost <c>node_modules</c> (its dependencies).
    /// </summary>
    private static IEnumerable<string> ExecutableTree(string executable)
    {
        var real = RealPath(executable);
        var modules = real.IndexOf("/node_modules/", StringComparison.Ordinal);
        yield return modules >= 0 ? real[..(modules + "/node_modules".Length)] : real;
    }

    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        return File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }
}
