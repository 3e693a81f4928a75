namespace Overseer.Hosting;

/// <summary>
/// Hands memory back to the OS once the server goes quiet after a burst of work. The workstation
/// GC only returns free memory at the end of a collection, and only collects while something
/// allocates: after a burst (megabyte request bodies, agent lines of several MB) it kept 50–60 MB
/// committed but unused, even after a full collection, for as long as the server then stayed idle
/// (issue 12, item 5). So when the server has allocated at least <see cref="BurstBytes"/> while
/// busy and then almost nothing for <see cref="QuietTime"/>, one aggressive collection runs
/// (it decommits what it can and trims the shared array pools): once per burst, so an idle
/// server is not collected again and again, and a busy one never.
/// </summary>
internal sealed partial class IdleMemoryTrim(TimeProvider time, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    /// <summary>How often allocation is looked at.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(5);

    /// <summary>How long the server must have been quiet before it trims.</summary>
    public static readonly TimeSpan QuietTime = TimeSpan.FromSeconds(30);

    /// <summary>At most this much allocated in a tick counts as quiet (heartbeats, timers, a status poll).</summary>
    public const long QuietBytesPerTick = 2 * 1024 * 1024;

    /// <summary>
    /// Allocated in busy ticks since the last trim before a quiet spell is worth a collection. Low
    /// on purpose: playing a thousand short sessions allocates a few hundred MB, and afterwards the
    /// GC kept 27 MB committed around a 4 MB heap until something collected aggressively; the
    /// collection costs a few milliseconds of a server that has nothing else to do.
    /// </summary>
    public const long BurstBytes = 32 * 1024 * 1024;

    /// <summary>The trim's state between ticks: how long it has been quiet, and how much the busy ticks since the last trim allocated.</summary>
    internal readonly record struct State(int QuietTicks, long BurstAllocated);

    /// <summary>Whether to trim now, given what the last tick allocated, and the state for the next tick.</summary>
    internal static (bool Trim, State Next) Decide(State state, long allocatedInTick)
    {
        if (allocatedInTick > QuietBytesPerTick)
            return (false, new State(0, state.BurstAllocated + allocatedInTick));
        var quietTicks = state.QuietTicks + 1;
        var trim = quietTicks * Tick >= QuietTime && state.BurstAllocated >= BurstBytes;
        return (trim, new State(quietTicks, trim ? 0 : state.BurstAllocated));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        var state = new State(0, 0); // start-up is not a burst worth trimming
        var allocated = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                (var trim, state) = Decide(state, now - allocated);
                allocated = now;
                if (!trim)
                    continue;
                var rss = ResidentMb();
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                var afterGc = ResidentMb();
                var trimmedNative = NativeHeap.Trim();
                Trimmed(logger, rss, afterGc, trimmedNative ? ResidentMb() : afterGc);
                allocated = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>VmRSS in MB, or -1 where /proc is not there.</summary>
    private static long ResidentMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return -1;
    }

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Idle after a burst of work, memory handed back: resident {Before} MB, {AfterGc} MB after a full GC, {AfterNative} MB after trimming the native heap")]
    private static partial void Trimmed(ILogger logger, long before, long afterGc, long afterNative);
}
