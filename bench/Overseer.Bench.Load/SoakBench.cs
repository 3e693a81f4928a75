using System.Diagnostics;
using System.Globalization;

namespace Overseer.Bench.Load;

/// <summary>
/// <c>soak [--minutes N=10] [--seed S] [--server-dll PATH]</c> (issue 12, item 5): the HTTP,
/// WebSocket and garbage-agent campaigns together against a freshly started server for N
/// minutes, then the figures and PASS/FAIL against the targets: 0 5xx, 0 stuck sessions, RSS 60 s
/// after the load ≤ 1.2× RSS before it (a warmed-up server, settled), peak RSS ≤ 300 MB.
/// </summary>
internal sealed class SoakBench(int minutes, int seed, IReadOnlySet<string> campaigns, TextWriter output)
{
    public const double MaxRssGrowth = 1.2;
    public const long MaxPeakKb = 300 * 1024;

    /// <summary>The campaigns; <c>--campaigns</c> picks some, to tell which one a figure comes from.</summary>
    public static readonly IReadOnlySet<string> AllCampaigns = new HashSet<string>(["http", "ws", "agent"], StringComparer.Ordinal);

    /// <summary>
    /// How long after the load stops the "after" RSS is taken: time for the server to drop what
    /// the load left. The server gives memory back once it has been quiet for 30 s (its
    /// IdleMemoryTrim), so the sample waits twice that.
    /// </summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(60);

    /// <summary>How long the campaigns run to warm the server up before its baseline RSS is taken.</summary>
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(30);

    /// <summary>Parses the soak's options; null (after printing why) when they are wrong.</summary>
    public static (int Minutes, int Seed, IReadOnlySet<string> Campaigns, string? ServerDll)? Parse(string[] args, TextWriter error)
    {
        var minutes = 10;
        IReadOnlySet<string> campaigns = AllCampaigns;
        var seed = Environment.TickCount & 0xFFFF;
        string? dll = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--minutes" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 24 * 60:
                    minutes = n;
                    break;
                case "--seed" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var s):
                    seed = s;
                    break;
                case "--server-dll":
                    dll = args[i + 1];
                    break;
                case "--campaigns" when args[i + 1].Split(',') is var names && names.All(AllCampaigns.Contains):
                    campaigns = names.ToHashSet(StringComparer.Ordinal);
                    break;
                default:
                    error.WriteLine($"error: unknown or invalid option {args[i]} {args[i + 1]} (soak takes --minutes 1..1440, --seed N, --campaigns http,ws,agent and --server-dll PATH)");
                    return null;
            }
        }

        if (args.Length % 2 != 0)
        {
            error.WriteLine($"error: {args[^1]} needs a value");
            return null;
        }

        return (minutes, seed, campaigns, dll);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<int> RunAsync(string serverDll, CancellationToken ct)
    {
        // Everything the run creates lives under one temp dir: the stand-in CLI and the projects
        // (the only allowed project root, so no campaign can register a project elsewhere).
        var root = Directory.CreateTempSubdirectory("overseer-soak-").FullName;
        ServerProcess? server = null;
        RssSampler? rss = null;
        try
        {
            var claude = FakeClaude.Write(root);
            var projects = Directory.CreateDirectory(Path.Combine(root, "projects")).FullName;
            server = await ServerProcess.StartAsync(serverDll, 20, ct, new Dictionary<string, string>
            {
                ["OVERSEER__Runtimes__ClaudeCode__ExecutablePath"] = claude,
                ["OVERSEER__Projects__AllowedRoots__0"] = projects,
                // The per-connection limit (600/min) would answer most of the campaign RATE_LIMITED
                // without parsing it; raised so the messages reach the dispatcher.
                ["OVERSEER__WebSockets__MessagesPerMinute"] = "1000000",
            });
            output.WriteLine($"overseer soak: {minutes} min, seed {seed}, campaigns {string.Join(",", AllCampaigns.Where(campaigns.Contains))}, server pid {server.Pid} at {server.BaseUri}");
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // let start-up work settle
            rss = new RssSampler(server.Pid);
            var rssColdKb = rss.StartKb;

            using var api = new OverseerClient(server.BaseUri, server.Token);
            var agentDir = Directory.CreateDirectory(Path.Combine(projects, "agent")).FullName;
            var agentProject = await api.CreateProjectAsync(agentDir, ct);

            // The baseline is a warm server: one short pass of the same campaigns, then the same
            // settle as after the load. A server 2 s after start-up has not yet loaded or compiled
            // the code for the routes, refusals and error paths the campaigns reach (~25 MB of code
            // and DLL pages that stay for the life of any real server); the question the target
            // asks is whether the load's memory is handed back, not whether code gets loaded.
            var warmStats = new SoakStats();
            using var warmAgents = new GarbageAgentCampaign(server.BaseUri, server.Token, agentProject, warmStats, seed + 1);
            await RunCampaignsAsync(server, projects, "warm", warmStats, warmAgents, WarmUpTime, seed + 1, null, ct);
            output.WriteLine($"warm-up: {WarmUpTime.TotalSeconds:F0} s of the same campaigns (http {warmStats.HttpRequests:N0}, 5xx {warmStats.ServerErrorCount}); settling {SettleTime.TotalSeconds:F0} s for the baseline");
            var warmSettled = Task.Delay(SettleTime, ct);
            await warmAgents.FindStuckAsync(ct);
            await warmSettled;
            var rssBeforeKb = rss.SampleNow();
            var kindsBefore = rss.Kinds();
            rss.ResetPeak();

            var stats = new SoakStats();
            using var agentCampaign = new GarbageAgentCampaign(server.BaseUri, server.Token, agentProject, stats, seed);
            var clock = Stopwatch.StartNew();
            await RunCampaignsAsync(server, projects, "load", stats, agentCampaign, TimeSpan.FromMinutes(minutes), seed, ProgressAsync(stats, rss, clock), ct);
            ct.ThrowIfCancellationRequested();
            var loadTime = clock.Elapsed;
            output.WriteLine($"load stopped after {loadTime.TotalSeconds:F0} s; finding stuck sessions and letting the server settle for {SettleTime.TotalSeconds:F0} s");

            // The stuck check and the settle time run together: both are about the time after the load.
            var settled = Task.Delay(SettleTime, ct);
            await agentCampaign.FindStuckAsync(ct);
            await settled;
            var rssAfterKb = rss.SampleNow();
            var kindsAfter = rss.Kinds();
            var alive = rssAfterKb > 0;

            output.WriteLine($"server RSS cold (2 s after start-up): {rssColdKb / 1024.0:F1} MB");
            Print(stats, agentCampaign, loadTime, rssBeforeKb, rss.PeakKb, rssAfterKb, kindsBefore, kindsAfter, alive, out var passed);
            if (warmStats.ServerErrorCount > 0 || warmAgents.Stuck.Count > 0)
            {
                output.WriteLine($"FAIL: during the warm-up {warmStats.ServerErrorCount} 5xx, stuck sessions: {string.Join(", ", warmAgents.Stuck)}");
                passed = false;
            }
            if (!passed)
                output.WriteLine($"server output (last lines):{Environment.NewLine}{server.OutputTail()}");
            return passed ? 0 : 1;
        }
        finally
        {
            if (rss is not null)
                await rss.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            ServerProcess.DeleteQuietly(root);
        }
    }

    /// <summary>The chosen campaigns together for <paramref name="duration"/>, each in its own project directory.</summary>
    private async Task RunCampaignsAsync(ServerProcess server, string projects, string pass, SoakStats stats, GarbageAgentCampaign agents, TimeSpan duration, int campaignSeed,
        Func<CancellationToken, Task>? progress, CancellationToken ct)
    {
        var http = new HttpCampaign(server.BaseUri, server.Token, Directory.CreateDirectory(Path.Combine(projects, pass + "-http")).FullName, stats, campaignSeed);
        var ws = new WebSocketCampaign(server.BaseUri, server.Token, Directory.CreateDirectory(Path.Combine(projects, pass + "-ws")).FullName, stats, campaignSeed);
        using var load = CancellationTokenSource.CreateLinkedTokenSource(ct);
        load.CancelAfter(duration);
        await Task.WhenAll(
            campaigns.Contains("http") ? http.RunAsync(2, load.Token) : Task.CompletedTask,
            campaigns.Contains("ws") ? ws.RunAsync(load.Token) : Task.CompletedTask,
            campaigns.Contains("agent") ? agents.RunAsync(load.Token) : Task.CompletedTask,
            progress?.Invoke(load.Token) ?? Task.CompletedTask);
    }

    private Func<CancellationToken, Task> ProgressAsync(SoakStats stats, RssSampler rss, Stopwatch clock) => stop => ProgressAsync(stats, rss, clock, stop);

    private async Task ProgressAsync(SoakStats stats, RssSampler rss, Stopwatch clock, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                output.WriteLine($"  {clock.Elapsed.TotalMinutes,4:F0} min: http {stats.HttpRequests:N0} (5xx {stats.ServerErrorCount}), ws {stats.WsSent:N0}, agent requests {stats.AgentRequests:N0}, RSS {rss.SampleNow() / 1024.0:F1} MB");
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Print(SoakStats stats, GarbageAgentCampaign agents, TimeSpan loadTime, long beforeKb, long peakKb, long afterKb,
        (long AnonKb, long FileKb, long ShmemKb) kindsBefore, (long AnonKb, long FileKb, long ShmemKb) kindsAfter, bool alive, out bool passed)
    {
        static string Mb(long kb) => (kb / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " MB";
        output.WriteLine($"duration: {loadTime.TotalSeconds:F0} s of load (+{SettleTime.TotalSeconds:F0} s settle)");
        output.WriteLine($"requests sent: http {stats.HttpRequests:N0}, websocket messages {stats.WsSent:N0}, agent campaign http {stats.AgentRequests:N0}");
        output.WriteLine($"status histogram (all HTTP): {string.Join("  ", stats.Statuses.Select(s => $"{s.Key}: {s.Value:N0}"))}");
        output.WriteLine($"5xx: {stats.ServerErrorCount}");
        foreach (var line in stats.ServerErrors)
            output.WriteLine($"  {line}");
        output.WriteLine($"no answer (reset/timeout): {stats.TransportErrorCount}");
        foreach (var line in stats.TransportErrors)
            output.WriteLine($"  {line}");
        output.WriteLine($"websocket: {stats.WsConnects:N0} connections, {stats.WsSent:N0} sent, {stats.WsReceived:N0} received, {stats.WsErrorFrames:N0} error frames, {stats.WsUnexpectedCloses} unexpected closes");
        output.WriteLine($"  closes: {string.Join("  ", stats.WsCloses.Select(c => $"[{c.Key}] {c.Value:N0}"))}");
        output.WriteLine($"sessions: {agents.SessionsStarted} started, {agents.TurnsStarted} turns, {agents.Stuck.Count} stuck");
        foreach (var line in agents.Stuck)
            output.WriteLine($"  stuck: {line}");
        output.WriteLine($"server RSS: before {Mb(beforeKb)}, peak {Mb(peakKb)}, after {Mb(afterKb)} ({(beforeKb > 0 ? (double)afterKb / beforeKb : 0):F2}x){(alive ? "" : " — the server is gone")}");
        output.WriteLine($"  by kind, before -> after: anon {Mb(kindsBefore.AnonKb)} -> {Mb(kindsAfter.AnonKb)}, file {Mb(kindsBefore.FileKb)} -> {Mb(kindsAfter.FileKb)}, shmem (JIT code) {Mb(kindsBefore.ShmemKb)} -> {Mb(kindsAfter.ShmemKb)}");

        var failures = new List<string>();
        if (!alive)
            failures.Add("the server died");
        if (stats.ServerErrorCount > 0)
            failures.Add($"{stats.ServerErrorCount} 5xx");
        if (agents.Stuck.Count > 0)
            failures.Add($"{agents.Stuck.Count} stuck sessions");
        if (afterKb > beforeKb * MaxRssGrowth)
            failures.Add($"RSS after {Mb(afterKb)} > {MaxRssGrowth}x before");
        if (peakKb > MaxPeakKb)
            failures.Add($"peak RSS {Mb(peakKb)} > {Mb(MaxPeakKb)}");
        passed = failures.Count == 0;
        output.WriteLine($"result: {(passed ? "PASS" : "FAIL (" + string.Join(", ", failures) + ")")}");
    }
}
