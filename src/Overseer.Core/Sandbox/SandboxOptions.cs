namespace Overseer.Core.Sandbox;

public enum SandboxMode
{
    /// <summary>Every agent process runs inside bubblewrap; a session refuses to start where it cannot.</summary>
    Bubblewrap,
    /// <summary>No sandbox: agents run as the server's user. Every such session is labelled unsandboxed.</summary>
    Off,
}

public enum NetworkAccess
{
    Full,
    /// <summary>A network namespace of its own with only loopback: nothing leaves the sandbox.</summary>
    None,
}

/// <summary>The wall around agent processes (<c>Sandbox</c> settings).</summary>
public sealed class SandboxOptions
{
    public const string Section = "Sandbox";

    public SandboxMode Mode { get; set; } = SandboxMode.Bubblewrap;

    /// <summary>The bubblewrap executable: a path, or a name looked up on PATH.</summary>
    public string BubblewrapPath { get; set; } = "bwrap";

    /// <summary>
    /// Where each session's private home lives on the host (set by the server to a folder beside
    /// its data directory). Inside the sandbox it is <see cref="SandboxHome.MountPoint"/>.
    /// </summary>
    public string? HomesDirectory { get; set; }

    public NetworkAccess Network { get; set; } = NetworkAccess.Full;

    public SandboxLimits Limits { get; set; } = new();

    /// <summary>Host paths the agent may read (toolchains outside the system directories).</summary>
    public List<string> ReadOnlyPaths { get; set; } = [];

    /// <summary>Let agents write the project's <c>.git/config</c> and <c>.git/hooks</c> (read-only by default).</summary>
    public bool GitConfigWritable { get; set; }

    /// <summary>Overrides by project name: network and limits.</summary>
    public Dictionary<string, SandboxProjectOptions> Projects { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The settings for one project: its overrides over the global ones.</summary>
    public (NetworkAccess Network, SandboxLimits Limits) For(string projectName)
    {
        if (!Projects.TryGetValue(projectName, out var project))
            return (Network, Limits);
        return (project.Network ?? Network, new SandboxLimits
        {
            MemoryMb = project.MemoryMb ?? Limits.MemoryMb,
            Processes = project.Processes ?? Limits.Processes,
            FileSizeMb = project.FileSizeMb ?? Limits.FileSizeMb,
            CpuPercent = project.CpuPercent ?? Limits.CpuPercent,
        });
    }
}

public sealed class SandboxProjectOptions
{
    public NetworkAccess? Network { get; set; }

    public long? MemoryMb { get; set; }

    public int? Processes { get; set; }

    public long? FileSizeMb { get; set; }

    public int? CpuPercent { get; set; }
}

/// <summary>Per-session resource limits; 0 means no limit.</summary>
public sealed class SandboxLimits
{
    public long MemoryMb { get; set; } = 4096;

    /// <summary>Processes and threads the session may have at once.</summary>
    public int Processes { get; set; } = 1024;

    /// <summary>Largest file a process of the session may write.</summary>
    public long FileSizeMb { get; set; } = 1024;

    /// <summary>CPU time as a percentage of one core (200 = two cores).</summary>
    public int CpuPercent { get; set; } = 200;
}
