using System.Runtime.InteropServices;

namespace Overseer.Hosting;

/// <summary>
/// glibc's allocator, tuned for a long-running server. Native code here (SQLite above all) is
/// handed megabyte rows and statements under hostile load, and glibc kept what it freed: its
/// mmap threshold rises to the largest block ever freed, so later big blocks come from arenas
/// that are never given back, and every busy thread gets an arena of its own (up to 16 on two
/// cores). After a 10-minute soak 59 MB of freed native memory stayed resident even after
/// <c>malloc_trim</c>. Fixing the threshold at 128 KiB sends big blocks to <c>mmap</c>, which
/// returns them on free, and two arenas are plenty for a process whose hot paths are managed.
/// No-op where the C library is not glibc.
/// </summary>
internal static class NativeHeap
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;
    private const int M_ARENA_MAX = -8;
    private const int Threshold = 128 * 1024;
    private const int Arenas = 2;

    /// <summary>Applies the settings; call once, as early as possible. Environment variables (<c>MALLOC_ARENA_MAX</c>, …) still win.</summary>
    public static void Configure()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null)
                _ = MallOpt(M_MMAP_THRESHOLD, Threshold);
            if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is null)
                _ = MallOpt(M_TRIM_THRESHOLD, Threshold);
            if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null)
                _ = MallOpt(M_ARENA_MAX, Arenas);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries have no mallopt, or manage memory their own way.
        }
    }

    /// <summary>Hands free pages of the native heap back to the OS; false where there is no glibc.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            _ = MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
