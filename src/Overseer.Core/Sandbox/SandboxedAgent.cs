using System.Globalization;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;

namespace Overseer.Core.Sandbox;

/// <summary>
/// One walled-in agent process: what was applied (for the <c>agent.sandbox</c> event), and the
/// control groups whose counters are watched while it runs. Disposing removes the groups.
/// </summary>
public sealed class SandboxedAgent : IDisposable
{
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);
    private readonly ResourceGroup? _group;
    private readonly TimeProvider _time;
    private long _oomKills;
    private long _processLimitHits;

    internal SandboxedAgent(AgentSandboxData report, ResourceGroup? group, TimeProvider time)
    {
        Report = report;
        _group = group;
        _time = time;
    }

    public AgentSandboxData Report { get; }

    public bool Sandboxed => Report.Mode != "off";

    /// <summary>
    /// Until cancelled, reports each limit the agent reaches. At the process limit the agent's
    /// tool processes are stopped (a fork bomb ends there), the agent itself is kept.
    /// </summary>
    public async Task WatchAsync(int rootPid, Func<AgentLimitReachedData, ValueTask> report, CancellationToken cancellationToken)
    {
        if (_group is null)
            return;
        using var timer = new PeriodicTimer(WatchInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await CheckAsync(rootPid, report);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One look at the counters (also after the process exits: an out-of-memory kill may have ended it).</summary>
    public async ValueTask CheckAsync(int rootPid, Func<AgentLimitReachedData, ValueTask> report)
    {
        if (_group is null)
            return;
        var oom = _group.OomKills;
        if (oom > _oomKills)
        {
            _oomKills = oom;
            await report(new AgentLimitReachedData("memory",
                $"The session reached its memory limit ({Report.Limits.MemoryMb.ToString(CultureInfo.InvariantCulture)} MB); the kernel stopped a process."));
        }
        var hits = _group.ProcessLimitHits;
        if (hits > _processLimitHits)
        {
            _processLimitHits = hits;
            var stopped = StopTools(rootPid);
            await report(new AgentLimitReachedData("processes",
                $"The session reached its limit of {Report.Limits.Processes.ToString(CultureInfo.InvariantCulture)} processes; {stopped.ToString(CultureInfo.InvariantCulture)} tool processes were stopped."));
            _processLimitHits = _group.ProcessLimitHits;
        }
    }

    public void Dispose() => _group?.Dispose();

    /// <summary>
    /// Kills every process below the agent: the root is bubblewrap, its child the sandbox's init,
    /// then the agent, then what the agent ran (depth 3 and more).
    /// </summary>
    private int StopTools(int rootPid)
    {
        var stopped = 0;
        for (var pass = 0; pass < 20; pass++)
        {
            var parents = new Dictionary<int, int>();
            foreach (var pid in _group!.Processes())
                if (ParentOf(pid) is { } parent)
                    parents[pid] = parent;
            var victims = parents.Keys.Where(pid => Depth(pid, rootPid, parents) >= 3).ToList();
            if (victims.Count == 0)
                break;
            foreach (var pid in victims)
                ProcessGroup.SignalProcessAndGroup(pid, ProcessGroup.SigKill);
            stopped += victims.Count;
        }
        return stopped;
    }

    private static int Depth(int pid, int rootPid, Dictionary<int, int> parents)
    {
        var depth = 0;
        while (pid != rootPid && parents.TryGetValue(pid, out var parent) && depth < 4096)
        {
            pid = parent;
            depth++;
        }
        return pid == rootPid ? depth : -1;
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
