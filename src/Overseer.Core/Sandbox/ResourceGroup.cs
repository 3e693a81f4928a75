using System.Globalization;

namespace Overseer.Core.Sandbox;

/// <summary>
/// The control groups holding one agent process tree: a memory, process-count and CPU ceiling
/// the kernel enforces on everything the agent starts, and counters that say when one was hit.
/// cgroup v2 where this process may delegate controllers, else the v1 hierarchies.
/// </summary>
internal sealed class ResourceGroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string? _memory;
    private readonly string? _pids;
    private readonly bool _unified;
    private readonly List<string> _directories;

    private ResourceGroup(List<string> directories, string? memory, string? pids, bool unified)
    {
        _directories = directories;
        _memory = memory;
        _pids = pids;
        _unified = unified;
        _oomFile = memory is null ? null : Path.Combine(memory, unified ? "memory.events" : "memory.oom_control");
        _pidsEventsFile = pids is null ? null : Path.Combine(pids, "pids.events");
    }

    private readonly string? _oomFile;
    private readonly string? _pidsEventsFile;

    // Kept open and read again at offset 0: opening a cgroup file walks its path through the
    // cgroup filesystem each time, which was most of the cost of watching 200 agents' counters.
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _oomHandle;
    private Microsoft.Win32.SafeHandles.SafeFileHandle? _pidsEventsHandle;
    private volatile bool _disposed;

    /// <summary>Where a process writes its pid to join (one file per hierarchy).</summary>
    public IEnumerable<string> JoinFiles => _directories.Select(d => Path.Combine(d, "cgroup.procs"));

    public string Kind => _unified ? "cgroup2" : "cgroup1";

    /// <summary>Creates the groups for <paramref name="name"/>, or says why it cannot here.</summary>
    public static ResourceGroup? TryCreate(string name, SandboxLimits limits, out string? problem)
    {
        problem = null;
        try
        {
            return File.Exists(Path.Combine(Root, "cgroup.controllers"))
                ? CreateUnified(name, limits, out problem)
                : CreateV1(name, limits, out problem);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = "cgroups are not writable here: " + ex.Message;
            return null;
        }
    }

    /// <summary>Times the memory ceiling made the kernel kill a process.</summary>
    public long OomKills => _oomFile is null || _disposed ? 0 : Counter(_oomFile, ref _oomHandle, "oom_kill");

    /// <summary>Times a fork was refused at the process ceiling.</summary>
    public long ProcessLimitHits => _pidsEventsFile is null || _disposed ? 0 : Counter(_pidsEventsFile, ref _pidsEventsHandle, "max");

    /// <summary>The host pids in the group.</summary>
    public IReadOnlyList<int> Processes()
    {
        var file = Path.Combine(_pids ?? _memory ?? _directories[0], "cgroup.procs");
        try
        {
            return File.ReadAllLines(file).Select(l => int.TryParse(l, CultureInfo.InvariantCulture, out var pid) ? pid : 0).Where(p => p > 0).ToList();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _oomHandle, null)?.Dispose();
        Interlocked.Exchange(ref _pidsEventsHandle, null)?.Dispose();
        foreach (var directory in _directories)
        {
            // A group can only be removed once empty; the sandbox's pid namespace is gone by now.
            for (var attempt = 0; attempt < 20 && Directory.Exists(directory); attempt++)
            {
                try
                {
                    Directory.Delete(directory);
                }
                catch (IOException)
                {
                    foreach (var pid in Processes())
                        Agents.ProcessGroup.SignalProcessAndGroup(pid, Agents.ProcessGroup.SigKill);
                    Thread.Sleep(25);
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
            }
        }
    }

    private static ResourceGroup? CreateUnified(string name, SandboxLimits limits, out string? problem)
    {
        problem = null;
        var own = OwnPath("0", "");
        var parent = Path.Combine(Root + own, "overseer-agents");
        Directory.CreateDirectory(parent);
        // Controllers must be handed down to the children; this fails (EBUSY) when the server's own
        // group holds processes and is not the root, which is the usual case outside a delegated unit.
        File.WriteAllText(Path.Combine(Root + own, "cgroup.subtree_control"), "+memory +pids +cpu");
        File.WriteAllText(Path.Combine(parent, "cgroup.subtree_control"), "+memory +pids +cpu");
        var directory = Path.Combine(parent, name);
        Directory.CreateDirectory(directory);
        if (limits.MemoryMb > 0)
        {
            File.WriteAllText(Path.Combine(directory, "memory.max"), Bytes(limits.MemoryMb));
            TryWrite(Path.Combine(directory, "memory.swap.max"), "0");
        }
        if (limits.Processes > 0)
            File.WriteAllText(Path.Combine(directory, "pids.max"), limits.Processes.ToString(CultureInfo.InvariantCulture));
        if (limits.CpuPercent > 0)
            File.WriteAllText(Path.Combine(directory, "cpu.max"), $"{(limits.CpuPercent * 1000).ToString(CultureInfo.InvariantCulture)} 100000");
        return new ResourceGroup([directory], directory, directory, unified: true);
    }

    private static ResourceGroup? CreateV1(string name, SandboxLimits limits, out string? problem)
    {
        problem = null;
        var directories = new List<string>();
        string? memory = null, pids = null;
        if (limits.MemoryMb > 0)
        {
            memory = Child("memory", name, directories);
            if (memory is not null)
            {
                File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), Bytes(limits.MemoryMb));
                TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), Bytes(limits.MemoryMb));
            }
        }
        if (limits.Processes > 0 && (pids = Child("pids", name, directories)) is not null)
            File.WriteAllText(Path.Combine(pids, "pids.max"), limits.Processes.ToString(CultureInfo.InvariantCulture));
        if (limits.CpuPercent > 0 && Child("cpu", name, directories) is { } cpu)
        {
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_period_us"), "100000");
            File.WriteAllText(Path.Combine(cpu, "cpu.cfs_quota_us"), (limits.CpuPercent * 1000).ToString(CultureInfo.InvariantCulture));
        }
        if ((limits.MemoryMb > 0 && memory is null) || (limits.Processes > 0 && pids is null))
        {
            problem = "the cgroup v1 memory and pids hierarchies are not mounted under /sys/fs/cgroup";
            new ResourceGroup(directories, memory, pids, unified: false).Dispose();
            return null;
        }
        return new ResourceGroup(directories, memory, pids, unified: false);
    }

    private static string? Child(string controller, string name, List<string> created)
    {
        var mount = Path.Combine(Root, controller);
        if (!File.Exists(Path.Combine(mount, "cgroup.procs")))
            return null;
        var directory = Path.Combine(mount + OwnPath(null, controller), "overseer-agents", name);
        Directory.CreateDirectory(directory);
        created.Add(directory);
        return directory;
    }

    /// <summary>This process's group in a hierarchy, from <c>/proc/self/cgroup</c> (id:controllers:path).</summary>
    private static string OwnPath(string? id, string controller)
    {
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && (id is not null ? parts[0] == id : parts[1].Split(',').Contains(controller)))
                return parts[2] == "/" ? "" : parts[2];
        }
        return "";
    }

    /// <summary>
    /// A "key value" line's value from a small kernel file. Read into a stack buffer: every agent's
    /// limits are looked at four times a second, and reading them line by line through a stream
    /// reader allocated ~22 KB each time, a tenth of all the server allocated under load.
    /// </summary>
    private static long Counter(string file, ref Microsoft.Win32.SafeHandles.SafeFileHandle? handle, string key)
    {
        Span<byte> buffer = stackalloc byte[1024];
        int length;
        try
        {
            if (handle is null)
            {
                var opened = File.OpenHandle(file);
                if (Interlocked.CompareExchange(ref handle, opened, null) is not null)
                    opened.Dispose();
            }
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return 0;
        }
        return CounterIn(buffer[..length], key);
    }

    /// <summary>The value of the line <c>key value</c> in <paramref name="text"/> (ASCII, one pair per line); 0 when absent.</summary>
    internal static long CounterIn(ReadOnlySpan<byte> text, string key)
    {
        while (!text.IsEmpty)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? [] : text[(end + 1)..];
            var space = line.IndexOf((byte)' ');
            if (space != key.Length || !System.Text.Ascii.Equals(line[..space], key))
                continue;
            if (System.Buffers.Text.Utf8Parser.TryParse(line[(space + 1)..], out long value, out _))
                return value;
        }
        return 0;
    }

    private static string Bytes(long megabytes) => (megabytes * 1024 * 1024).ToString(CultureInfo.InvariantCulture);

    private static void TryWrite(string file, string value)
    {
        try
        {
            if (File.Exists(file))
                File.WriteAllText(file, value);
        }
        catch (IOException)
        {
            // Optional knob (swap accounting may be off).
        }
    }
}
