using System.Globalization;

namespace Overseer.Bench.Load;

/// <summary>
/// Voluntary context switches of all a process's threads (/proc/PID/task/*/status): each is a
/// thread that ran out of work and slept, so per event it counts the hand-offs between threads
/// on the path. It moves with other load less than latency does, but it moves: a busy pool
/// thread finds more work before it sleeps.
/// </summary>
internal static class ContextSwitches
{
    /// <summary>
    /// CPU seconds the runtime's background tiered-compilation thread has used: while it keeps
    /// growing, the server is still compiling its hot methods and is not yet at steady state.
    /// </summary>
    public static double TieredCompilationSeconds(int pid)
    {
        long ticks = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var open = stat.IndexOf('(', StringComparison.Ordinal);
                    var close = stat.LastIndexOf(')');
                    if (open < 0 || close < open || !stat.AsSpan(open + 1, close - open - 1).StartsWith(".NET Tiered", StringComparison.Ordinal))
                        continue;
                    // After "(comm) ": state is field 3; utime and stime are fields 14 and 15.
                    var fields = stat[(close + 2)..].Split(' ');
                    ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
                {
                    // The thread exited while we looked.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        return ticks / 100.0; // USER_HZ
    }

    /// <summary>The sum over the threads alive now (threads that exited are not counted); 0 off Linux.</summary>
    public static long Voluntary(int pid)
    {
        long total = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (!line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                            continue;
                        if (long.TryParse(line.AsSpan("voluntary_ctxt_switches:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                            total += n;
                        break;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The thread exited while we looked.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        return total;
    }
}
