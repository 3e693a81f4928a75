using System.Globalization;

namespace Overseer.Bench.Load;

/// <summary>Samples a process's resident set size (VmRSS in /proc/PID/status) once a second.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKb;

    public RssSampler(int pid)
    {
        _pid = pid;
        StartKb = Sample();
        _loop = LoopAsync(_stop.Token);
    }

    public long StartKb { get; }

    public long PeakKb => Interlocked.Read(ref _peakKb);

    /// <summary>Forgets the peak so far: the next peak is of what comes after (the baseline was a warm-up).</summary>
    public void ResetPeak()
    {
        Interlocked.Exchange(ref _peakKb, 0);
        Sample();
    }

    /// <summary>Takes a last sample and returns it.</summary>
    public long SampleNow() => Sample();

    /// <summary>
    /// VmRSS split as the kernel counts it (kB): anonymous memory (the GC heap, native heaps,
    /// stacks), file pages (the runtime's and the app's DLLs and .so files) and shared memory
    /// (on .NET, the JIT's code, double-mapped for W^X). Zeros when the process is gone.
    /// </summary>
    public (long AnonKb, long FileKb, long ShmemKb) Kinds()
    {
        long anon = 0, file = 0, shmem = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    anon = Kb(line);
                else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
                    file = Kb(line);
                else if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
                    shmem = Kb(line);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return (anon, file, shmem);

        static long Kb(string line)
        {
            var digits = line.AsSpan(line.IndexOf(':') + 1).Trim().TrimEnd("kB").Trim();
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(ct))
            Sample();
    }

    private long Sample()
    {
        long kb = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    continue;
                var digits = line.AsSpan(6).Trim().TrimEnd("kB").Trim();
                _ = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out kb);
                break;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // the process is gone or /proc is not there (not Linux)
        }

        long peak;
        while (kb > (peak = Interlocked.Read(ref _peakKb)) && Interlocked.CompareExchange(ref _peakKb, kb, peak) != peak)
        {
        }

        return kb;
    }
}
