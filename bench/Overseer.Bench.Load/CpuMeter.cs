using System.Diagnostics;

namespace Overseer.Bench.Load;

/// <summary>
/// CPU time of the server and of this process from construction on. Both share the machine's
/// cores, so a busy benchmark inflates the latency it measures; the summary shows how busy.
/// </summary>
public sealed class CpuMeter
{
    private readonly int? _serverPid;
    private readonly TimeSpan _serverStart;
    private readonly TimeSpan _selfStart = Process.GetCurrentProcess().TotalProcessorTime;

    public CpuMeter(int? serverPid)
    {
        _serverPid = serverPid;
        _serverStart = ServerCpu() ?? TimeSpan.Zero;
    }

    /// <summary>Seconds of CPU used since construction: (server or null when unknown, this process).</summary>
    public (double? Server, double Self) Elapsed()
    {
        var server = ServerCpu();
        var self = Process.GetCurrentProcess().TotalProcessorTime - _selfStart;
        return ((server - _serverStart)?.TotalSeconds, self.TotalSeconds);
    }

    private TimeSpan? ServerCpu()
    {
        if (_serverPid is not { } pid)
            return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return null; // exited
        }
    }
}
