using System.Runtime.InteropServices;

namespace Overseer.Bench.Load;

/// <summary>Entry point: options, Ctrl-C handling, locating the server build, exit codes.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Any(a => a is "-h" or "--help"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        if (args.Length > 0 && args[0] == "page")
            return await RunPageBenchAsync(args[1..]);
        if (args.Length > 0 && args[0] == "hibernation")
            return await RunHibernationBenchAsync(args[1..]);
        if (args.Length > 0 && args[0] == "sandbox")
            return await SandboxBench.RunAsync(args[1..], Console.Out);
        if (args.Length > 0 && args[0] == "live")
        {
            if (!OperatingSystem.IsWindows())
                return await RunLiveAsync(args[1..]);
            await Console.Error.WriteLineAsync("error: the live bench needs bash for its stand-in claude and /proc for RSS");
            return 2;
        }
        if (args.Length > 0 && args[0] == "soak")
        {
            if (!OperatingSystem.IsWindows())
                return await RunSoakAsync(args[1..]);
            await Console.Error.WriteLineAsync("error: the soak needs a POSIX shell for its stand-in claude and /proc for RSS");
            return 2;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}{Environment.NewLine}{BenchOptions.Usage}");
            return 2;
        }

        string? serverDll = null;
        if (options.Url is null && !TryFindServer(options.ServerDll, out serverDll))
            return 2;

        return await RunCancellableAsync(token => new LoadBench(options, Console.Out).RunAsync(serverDll, token));
    }

    /// <summary>
    /// Runs a bench until done or cancelled. Ctrl-C or SIGTERM cancels the run, which then stops the
    /// server and deletes the temp dirs (bounded: the kill waits at most 10 s). Repeats are
    /// swallowed too, because tools such as `timeout` signal both the process and its group, and
    /// dying then would orphan the server.
    /// </summary>
    private static async Task<int> RunCancellableAsync(Func<CancellationToken, Task<int>> run)
    {
        using var cts = new CancellationTokenSource();
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            if (cts.IsCancellationRequested)
                return;
            Console.Error.WriteLine("cancelling, cleaning up…");
            cts.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            return await run(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 2;
        }
    }

    /// <summary><c>page [--events N] [--server-dll PATH]</c>: time opening a long session's page.</summary>
    private static async Task<int> RunPageBenchAsync(string[] args)
    {
        var events = 100_000;
        string? dllArg = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--events" when int.TryParse(args[i + 1], out var n) && n is > 0 and <= 100_000:
                    events = n;
                    break;
                case "--server-dll":
                    dllArg = args[i + 1];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"error: unknown or invalid option {args[i]} {args[i + 1]} (page takes --events 1..100000 and --server-dll PATH)");
                    return 2;
            }
        }
        if (!TryFindServer(dllArg, out var dll))
            return 2;
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        return await new PageBench(events, Console.Out).RunAsync(dll!, cts.Token);
    }

    /// <summary><c>hibernation [--sessions N] [--samples K] [--server-dll PATH]</c>: RSS with N hibernated sessions, and wake against cold start.</summary>
    private static async Task<int> RunHibernationBenchAsync(string[] args)
    {
        var sessions = 1000;
        var samples = 20;
        string? dllArg = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--sessions" when int.TryParse(args[i + 1], out var n) && n is > 0 and <= 100_000:
                    sessions = n;
                    break;
                case "--samples" when int.TryParse(args[i + 1], out var k) && k is > 0 and <= 1000:
                    samples = k;
                    break;
                case "--server-dll":
                    dllArg = args[i + 1];
                    break;
                default:
                    await Console.Error.WriteLineAsync($"error: unknown or invalid option {args[i]} {args[i + 1]} (hibernation takes --sessions 1..100000, --samples 1..1000 and --server-dll PATH)");
                    return 2;
            }
        }
        if (!TryFindServer(dllArg, out var dll))
            return 2;
        return await RunCancellableAsync(token => new HibernationBench(sessions, samples, Console.Out).RunAsync(dll!, token));
    }

    /// <summary><c>soak [--minutes N] [--seed S] [--campaigns http,ws,agent] [--server-dll PATH]</c>: the robustness soak; Ctrl-C stops it and cleans up like the load run.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<int> RunSoakAsync(string[] args)
    {
        if (SoakBench.Parse(args, Console.Error) is not var (minutes, seed, campaigns, dllArg))
            return 2;
        if (!TryFindServer(dllArg, out var dll))
            return 2;
        return await RunCancellableAsync(token => new SoakBench(minutes, seed, campaigns, Console.Out).RunAsync(dll!, token));
    }

    /// <summary><c>live …</c>: claude-code sessions with a stand-in CLI through the whole data path (issue 13).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static async Task<int> RunLiveAsync(string[] args)
    {
        if (LiveBench.Parse(args, Console.Error) is not { } settings)
            return 2;
        if (!TryFindServer(settings.ServerDll, out var dll))
            return 2;
        return await RunCancellableAsync(token => new LiveBench(settings, Console.Out).RunAsync(dll!, token));
    }

    private static bool TryFindServer(string? given, out string? dll)
    {
        if (given is not null)
        {
            dll = Path.GetFullPath(given);
            if (File.Exists(dll))
                return true;
            Console.Error.WriteLine($"error: server dll not found: {dll}");
            return false;
        }

        var root = RepoRoot(Environment.CurrentDirectory) ?? RepoRoot(AppContext.BaseDirectory);
        if (root is null)
        {
            dll = null;
            Console.Error.WriteLine("error: cannot find the repository root (a directory with Overseer.slnx); pass --server-dll PATH");
            return false;
        }

        dll = Path.Combine(root, "src", "Overseer", "bin", "Release", "net10.0", "overseer.dll");
        if (File.Exists(dll))
            return true;
        Console.Error.WriteLine($"error: {dll} not found. Build the server first:{Environment.NewLine}  dotnet build -c Release src/Overseer");
        return false;
    }

    /// <summary>The nearest directory up from <paramref name="start"/> holding Overseer.slnx (or, failing that, src/Overseer/Overseer.csproj).</summary>
    private static string? RepoRoot(string start)
    {
        string? fallback = null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Overseer.slnx")))
                return dir.FullName;
            if (fallback is null && File.Exists(Path.Combine(dir.FullName, "src", "Overseer", "Overseer.csproj")))
                fallback = dir.FullName;
        }

        return fallback;
    }
}
