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
    /// <summary>What a shell prints when a process is killed for writing past RLIMIT_FSIZE.</summary>
    private const string FileSizeExceeded = "File size limit exceeded";
    private readonly ResourceGroup? _group;
    private readonly SandboxLimitWatch? _watch;
    private readonly SemaphoreSlim _checking = new(1, 1);
    private long _oomKills;
    private long _processLimitHits;
    private int _fileSizeReported;

    internal SandboxedAgent(AgentSandboxData report, ResourceGroup? group, SandboxLimitWatch? watch)
    {
        Report = report;
        _group = group;
        _watch = watch;
    }

    public AgentSandboxData Report { get; }

    public bool Sandboxed => Report.Mode != "off";

    /// <summary>
    /// The kernel has no counter for the file-size limit: a process past it gets SIGXFSZ, which the
    /// shell that ran it reports in words. Those words in a tool's output or the agent's stderr
    /// are the signal (once per agent process).
    /// </summary>
    public async ValueTask CheckOutputAsync(string text, Func<AgentLimitReachedData, ValueTask> report)
    {
        if (Report.Limits.FileSizeMb == 0 || !text.Contains(FileSizeExceeded, StringComparison.Ordinal) || Interlocked.Exchange(ref _fileSizeReported, 1) == 1)
            return;
        await report(new AgentLimitReachedData("fileSize",
            $"A process of the session tried to write a file over its limit ({Report.Limits.FileSizeMb.ToString(CultureInfo.InvariantCulture)} MB) and was stopped."));
    }

    /// <summary>
    /// Until cancelled, reports each limit the agent reaches. At the process limit the agent's
    /// tool processes are stopped (a fork bomb ends there), the agent itself is kept.
    /// </summary>
    public Task WatchAsync(Func<AgentLimitReachedData, ValueTask> report, CancellationToken cancellationToken) =>
        _group is null || _watch is null ? Task.CompletedTask : _watch.WatchAsync(this, report, cancellationToken);

    /// <summary>One look at the counters (also after the process exits: an out-of-memory kill may have ended it).</summary>
    public ValueTask CheckAsync(Func<AgentLimitReachedData, ValueTask> report)
    {
        // The common case, four times a second per agent: nothing new, and nothing allocated.
        if (_group is null || (_group.OomKills <= Volatile.Read(ref _oomKills) && _group.ProcessLimitHits <= Volatile.Read(ref _processLimitHits)))
            return ValueTask.CompletedTask;
        return ReportNewAsync(report);
    }

    /// <summary>Reports what the counters say happened since the last look; one at a time, as the
    /// shared watch and the agent's exit both look.</summary>
    private async ValueTask ReportNewAsync(Func<AgentLimitReachedData, ValueTask> report)
    {
        await _checking.WaitAsync();
        try
        {
            var oom = _group!.OomKills;
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
                var stopped = StopTools();
                await report(new AgentLimitReachedData("processes",
                    $"The session reached its limit of {Report.Limits.Processes.ToString(CultureInfo.InvariantCulture)} processes; {stopped.ToString(CultureInfo.InvariantCulture)} tool processes were stopped."));
                _processLimitHits = _group.ProcessLimitHits;
            }
        }
        finally
        {
            _checking.Release();
        }
    }

    public void Dispose() => _group?.Dispose();

    /// <summary>
    /// Kills every process of the sandbox but bubblewrap and the agent: inside its pid namespace
    /// bubblewrap is 1 and the agent 2; tools are above, wherever they were reparented.
    /// </summary>
    private int StopTools()
    {
        var stopped = 0;
        for (var pass = 0; pass < 20; pass++)
        {
            var victims = _group!.Processes().Where(pid => InnerPid(pid) > 2).ToList();
            if (victims.Count == 0)
                break;
            // One by one: the tools share the agent's process group.
            foreach (var pid in victims)
                ProcessGroup.SignalProcess(pid, ProcessGroup.SigKill);
            stopped += victims.Count;
        }
        return stopped;
    }

    /// <summary>
    /// Signals every process inside the sandbox of <paramref name="outerPid"/> but its init: the
    /// agent and its tools, not bubblewrap (which would end them all with SIGKILL).
    /// </summary>
    public static void SignalInside(int outerPid, int signal)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) is { } parent)
                parents[pid] = parent;
        foreach (var (pid, _) in parents)
        {
            var ancestor = pid;
            for (var depth = 0; depth < 4096 && parents.TryGetValue(ancestor, out var up); depth++)
            {
                ancestor = up;
                if (ancestor == outerPid)
                {
                    if (InnerPid(pid) >= 2)
                        ProcessGroup.SignalProcess(pid, signal);
                    break;
                }
            }
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The pid a process has in the sandbox's pid namespace (the last NSpid field), or 0 outside it.</summary>
    private static int InnerPid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
                if (line.StartsWith("NSpid:", StringComparison.Ordinal))
                {
                    // One field: a process of our own namespace (the outer bubblewrap), never a tool.
                    var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length >= 3 ? int.Parse(fields[^1], CultureInfo.InvariantCulture) : 0;
                }
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
