using System.Globalization;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents;
using Overseer.Core.Sessions;

namespace Overseer.Core.Telemetry;

/// <summary>
/// The agent processes this server started (and what they started), found by the owner mark in
/// their environment as the orphan reaper finds them, with their resident memory from /proc.
/// Read at most once a second: a scrape asks for the count and the memory separately.
/// </summary>
public sealed class AgentProcesses(IOptions<SessionOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private (AgentProcessSnapshot Snapshot, DateTimeOffset At)? _last;

    public AgentProcessSnapshot Read()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_last is { } last && now - last.At < Fresh)
                return last.Snapshot;
            var snapshot = Scan();
            _last = (snapshot, now);
            return snapshot;
        }
    }

    private AgentProcessSnapshot Scan()
    {
        if (options.Value.AgentOwner is not { } owner)
            return new AgentProcessSnapshot(0, 0);
        long count = 0, rss = 0;
        foreach (var pid in OrphanReaper.Marked(OrphanReaper.OwnerVariable, owner))
        {
            count++;
            rss += ResidentBytes(pid);
        }
        return new AgentProcessSnapshot(count, rss);
    }

    private static long ResidentBytes(int pid)
    {
        try
        {
            // statm: size resident shared ... in pages.
            var statm = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/statm");
            var fields = statm.Split(' ', 3);
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // gone since it was found
        }
    }
}

public sealed record AgentProcessSnapshot(long Count, long ResidentBytes);
