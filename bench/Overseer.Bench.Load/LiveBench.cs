using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// <c>live</c> (issue 13): the real agent data path. N claude-code sessions whose <c>claude</c>
/// is <see cref="LiveClaude"/>, each printing M stamped assistant messages at R a second, go
/// pipe → parse → gate → store → hub → K SSE subscribers and W WebSocket clients joined to the
/// project. Latency is the agent's stamp to the client's read; every client must get every
/// message of every session exactly once, in seq order.
/// </summary>
internal sealed class LiveBench(LiveBench.Settings settings, TextWriter output)
{
    internal sealed record Settings(
        int Sessions, int Subscribers, int WsClients, int Messages, int Rate, bool Sandbox, bool Matrix, bool Warmup, string? ServerDll)
    {
        public const string Usage = """
            overseer-bench-load live [--sessions N=20] [--subscribers K=20] [--ws-clients W=1]
                                     [--messages M=200] [--rate R=50] [--no-sandbox] [--no-warmup] [--matrix] [--server-dll PATH]
              N claude-code sessions whose claude is a stand-in printing M stamped messages at R/s;
              K SSE subscribers on /api/stream and W WebSocket clients joined to the project.
              --matrix runs sessions 1/20/50/100 x subscribers 1/20 and prints a table. Each run starts
              a fresh server and warms it up first (up to 10 sessions x 250 messages; --no-warmup skips it).
            """;

        public int IntervalMicros => 1_000_000 / Rate;
    }

    /// <summary>One run's figures, for the matrix table.</summary>
    internal sealed record Row(int Sessions, int Subscribers, double P50, double P99, double Max, long Lost, long Duplicated, long OutOfOrder, long Behind,
        double CpuPerThousand, double SwitchesPerMessage, double RssIdleMb, double RssPeakMb, double ListP50, double ListMax, bool Passed);

    public static Settings? Parse(string[] args, TextWriter error)
    {
        var s = new Settings(20, 20, 1, 200, 50, true, false, true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int Number()
            {
                var name = args[i];
                var text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException($"{name} must be a whole number, got '{text}'");
            }

            try
            {
                s = args[i] switch
                {
                    "--sessions" => s with { Sessions = Number() },
                    "--subscribers" => s with { Subscribers = Number() },
                    "--ws-clients" => s with { WsClients = Number() },
                    "--messages" => s with { Messages = Number() },
                    "--rate" => s with { Rate = Number() },
                    "--no-sandbox" => s with { Sandbox = false },
                    "--matrix" => s with { Matrix = true },
                    "--no-warmup" => s with { Warmup = false },
                    "--server-dll" => s with { ServerDll = Value() },
                    _ => throw new FormatException($"unknown option {args[i]}"),
                };
            }
            catch (FormatException ex)
            {
                error.WriteLine($"error: {ex.Message}{Environment.NewLine}{Settings.Usage}");
                return null;
            }
        }

        if (s.Sessions < 1 || s.Messages < 1 || s.Rate is < 1 or > 1000 || s.Subscribers + s.WsClients < 1)
        {
            error.WriteLine($"error: sessions, messages and rate (1..1000) must be positive, and there must be a client{Environment.NewLine}{Settings.Usage}");
            return null;
        }

        return s;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<int> RunAsync(string serverDll, CancellationToken ct)
    {
        if (!settings.Matrix)
            return (await RunOnceAsync(serverDll, settings, ct)).Passed ? 0 : 1;
        var rows = new List<Row>();
        foreach (var sessions in new[] { 1, 20, 50, 100 })
        {
            foreach (var subscribers in new[] { 1, 20 })
                rows.Add(await RunOnceAsync(serverDll, settings with { Sessions = sessions, Subscribers = subscribers }, ct));
        }

        output.WriteLine();
        output.WriteLine($"live matrix: {settings.Messages} messages at {settings.Rate}/s per session, {settings.WsClients} WebSocket client(s), sandbox {(settings.Sandbox ? "on" : "OFF")}");
        output.WriteLine("sessions subs   p50 ms   p99 ms   max ms  lost dup ooo behind  cpu s/1k ev  wakes/ev  rss idle/peak MB  GET /api/sessions p50/max ms");
        foreach (var r in rows)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Sessions,8} {r.Subscribers,4} {r.P50,8:F2} {r.P99,8:F2} {r.Max,8:F2} {r.Lost,5} {r.Duplicated,3} {r.OutOfOrder,3} {r.Behind,6} {r.CpuPerThousand,12:F3} {r.SwitchesPerMessage,9:F1} {r.RssIdleMb,8:F0}/{r.RssPeakMb,-8:F0} {r.ListP50,12:F1}/{r.ListMax:F1}"));
        }

        return rows.All(r => r.Passed) ? 0 : 1;
    }

    /// <summary>For each session a client missed texts of: which, the session as the server sees it, and its last events.</summary>
    private async Task ExplainLossesAsync(OverseerClient api, List<IStreamClient> clients, string[] ids, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            var missed = clients
                .Select(c => (c.Index, Missing: c.ReceiptsFor(id)?.MissingRanges() ?? "all"))
                .Where(m => m.Missing.Length > 0)
                .ToList();
            if (missed.Count == 0)
                continue;
            output.WriteLine($"  session {id}: " + string.Join("; ", missed.Select(m => $"client {m.Index} missed {m.Missing}")));
            var session = await api.GetTextAsync($"api/sessions/{id}", ct);
            output.WriteLine("    " + session[..Math.Min(session.Length, 600)]);
            var events = await api.GetTextAsync($"api/sessions/{id}/events?after=0&limit=10000", ct);
            using var doc = System.Text.Json.JsonDocument.Parse(events.StartsWith('(') ? "{}" : events);
            if (doc.RootElement.TryGetProperty("items", out var items))
            {
                var texts = 0;
                foreach (var e in items.EnumerateArray())
                {
                    var type = e.GetProperty("type").GetString();
                    if (type == "agent.text")
                    {
                        texts++;
                        continue;
                    }
                    var line = e.GetRawText();
                    output.WriteLine($"    {type}: {line[..Math.Min(line.Length, 300)]}");
                }
                output.WriteLine($"    ({texts} agent.text events stored)");
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<Row> RunOnceAsync(string serverDll, Settings run, CancellationToken ct)
    {
        var root = Directory.CreateTempSubdirectory("overseer-live-").FullName;
        ServerProcess? server = null;
        RssSampler? rss = null;
        var clients = new List<IStreamClient>();
        try
        {
            var claude = LiveClaude.Write(root);
            var projectDir = Directory.CreateDirectory(Path.Combine(root, "projects", "live")).FullName;
            var environment = new Dictionary<string, string>
            {
                ["OVERSEER__Runtimes__ClaudeCode__ExecutablePath"] = claude,
                ["OVERSEER__Projects__AllowedRoots__0"] = Path.Combine(root, "projects"),
                // Methods go to tier 1 as soon as they are hot instead of after a quiet 100 ms
                // (which a loaded machine never has): with the warm-up, the run measures the code
                // a server runs after minutes, not tier-0 code and the JIT compiling beside it.
                ["DOTNET_TC_CallCountingDelayMs"] = "0",
            };
            if (!run.Sandbox)
                environment["OVERSEER__Sandbox__Mode"] = "Off";
            server = await ServerProcess.StartAsync(serverDll, run.Sessions + 10, ct, environment);
            output.WriteLine($"live: {run.Sessions} sessions x {run.Messages} messages at {run.Rate}/s, {run.Subscribers} SSE + {run.WsClients} WebSocket clients, sandbox {(run.Sandbox ? "on" : "OFF")}; server pid {server.Pid}");
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // start-up work settles before the idle figure
            rss = new RssSampler(server.Pid);

            using var api = new OverseerClient(server.BaseUri, server.Token);
            var projectId = await api.CreateProjectAsync(projectDir, ct);
            var sse = Enumerable.Range(0, run.Subscribers).Select(i => new SseSubscriber(i, server.BaseUri, server.Token, run.Messages, stampedOnly: true)).ToList();
            var ws = Enumerable.Range(0, run.WsClients).Select(i => new WsSubscriber(run.Subscribers + i, server.BaseUri, server.Token, run.Messages)).ToList();
            clients.AddRange(sse);
            clients.AddRange(ws);
            await Task.WhenAll(sse.Select(s => s.ConnectAsync(ct)).Concat(ws.Select(w => w.JoinAsync(projectId, ct))));
            // The clients follow the warm-up too: the benchmark is a .NET program as well, and
            // its own recompilation of the clients' read path took a sixth of the machine in the
            // run's first second (perf) when they connected only afterwards.
            if (run.Warmup)
                await WarmUpAsync(api, projectId, server.Pid, run, ct);
            foreach (var client in clients)
                client.ResetTally();

            var cpu = new CpuMeter(server.Pid);
            var switchesBefore = ContextSwitches.Voluntary(server.Pid);
            var clock = Stopwatch.StartNew();
            var startTicks = DateTimeOffset.UtcNow.UtcTicks;
            foreach (var client in clients)
                client.Tally.RunStartMicros = (startTicks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;
            using var probeStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var listLatency = new LatencyHistogram();
            var probe = ProbeSessionListAsync(api, listLatency, probeStop.Token);
            var body = SessionBody(projectId, LiveClaude.Prompt(run.Messages, run.IntervalMicros));
            var ids = new string[run.Sessions];
            await Parallel.ForAsync(0, run.Sessions, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (i, token) => ids[i] = await api.CreateSessionAsync(body, token));
            output.WriteLine($"  sessions created in {clock.Elapsed.TotalSeconds:F2} s (run started {new DateTime(startTicks, DateTimeKind.Utc):HH:mm:ss.fff} UTC)");

            var deadline = TimeSpan.FromSeconds(run.Messages / (double)run.Rate + 60);
            var complete = await WaitForAllAsync(clients, ids, run.Messages, clock, deadline, ct);
            await probeStop.CancelAsync();
            await probe;
            var endRssKb = rss.SampleNow();
            var (serverCpu, benchCpu) = cpu.Elapsed();
            var switches = ContextSwitches.Voluntary(server.Pid) - switchesBefore;
            foreach (var client in clients)
                await client.DisposeAsync();

            var options = new BenchOptions(run.Sessions, run.Rate, run.Subscribers, Math.Max(1, run.Messages / run.Rate), serverDll, null, null);
            var result = BenchResult.From(options, run.Messages, clients, ids, startTicks, complete, rss, endRssKb)
                with { ServerCpuSeconds = serverCpu, BenchCpuSeconds = benchCpu };
            var messages = (double)run.Sessions * run.Messages;
            var cpuPerThousand = (serverCpu ?? 0) / (messages / 1000);
            var lat = result.Latency;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  latency agent stamp->client: p50 {lat.PercentileMs(0.50):F2} ms  p99 {lat.PercentileMs(0.99):F2} ms  max {lat.MaxMicros / 1000.0:F2} ms over {lat.Count:N0} receipts"));
            output.WriteLine("  by second of the run (stamp):" + string.Concat(Enumerable.Range(0, clients[0].Tally.BySecond.Length).Select(second =>
            {
                var bucket = new LatencyHistogram();
                foreach (var client in clients)
                    bucket.Add(client.Tally.BySecond[second]);
                return bucket.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{Environment.NewLine}    {second}{(second == clients[0].Tally.BySecond.Length - 1 ? "+" : "")} s: p50 {bucket.PercentileMs(0.5):F2}  p99 {bucket.PercentileMs(0.99):F2}  max {bucket.MaxMicros / 1000.0:F2} ms  ({bucket.Count:N0})");
            })));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  lost: {result.Lost:N0}  duplicated: {result.Duplicated:N0}  out-of-order: {result.OutOfOrder:N0}  behind-notices: {result.BehindNotices:N0}{(complete ? "" : "  (timed out)")}"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  server cpu: {serverCpu:F2} s = {cpuPerThousand:F3} s per 1,000 agent messages; benchmark {benchCpu:F2} s; over {result.Seconds:F1} s on {Environment.ProcessorCount} cores"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  server thread wake-ups (voluntary context switches): {switches:N0} = {switches / messages:F1} per agent message"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  server RSS: idle {rss.StartKb / 1024.0:F1} MB, peak {rss.PeakKb / 1024.0:F1} MB, end {endRssKb / 1024.0:F1} MB"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  GET /api/sessions during the run: p50 {listLatency.PercentileMs(0.5):F1} ms  max {listLatency.MaxMicros / 1000.0:F1} ms over {listLatency.Count} requests"));
            foreach (var failure in result.Failures)
                output.WriteLine($"  stream ended early: {failure}");
            output.WriteLine(result.Passed ? "  result: PASS" : "  result: FAIL");
            if (!result.Passed)
            {
                await ExplainLossesAsync(api, clients, ids, ct);
                output.WriteLine($"server output (last lines):{Environment.NewLine}{server.OutputTail()}");
            }
            return new Row(run.Sessions, run.Subscribers, lat.PercentileMs(0.5), lat.PercentileMs(0.99), lat.MaxMicros / 1000.0,
                result.Lost, result.Duplicated, result.OutOfOrder, result.BehindNotices, cpuPerThousand, switches / messages,
                rss.StartKb / 1024.0, rss.PeakKb / 1024.0, listLatency.PercentileMs(0.5), listLatency.MaxMicros / 1000.0, result.Passed);
        }
        catch (Exception ex) when (server is not null && ex is not OperationCanceledException)
        {
            output.WriteLine($"server output (last lines):{Environment.NewLine}{server.OutputTail()}");
            throw;
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
            if (rss is not null)
                await rss.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            ServerProcess.DeleteQuietly(root);
        }
    }

    /// <summary>
    /// A few sessions through the same path before the measured run, so the figures are those of
    /// a server that has been up a while (methods tiered up, pools grown), not of its first seconds.
    /// The clients connect afterwards; they replay these events as catch-up, which is not counted.
    /// </summary>
    private async Task WarmUpAsync(OverseerClient api, string projectId, int serverPid, Settings run, CancellationToken ct)
    {
        // Rounds until the tiered-compilation thread goes quiet (it took a quarter of the server's
        // CPU in a run after one round on a loaded machine), at most MaxWarmupRounds. Each round
        // starts WarmupSessions sessions: with only 10 a round, the session start path crossed
        // the runtime's 30-call tier-up threshold during the measured run, and its recompilation
        // took 69 % of the server's CPU in the run's first second (perf, 60 sessions started).
        var body = SessionBody(projectId, LiveClaude.Prompt(WarmupMessages, run.IntervalMicros));
        for (var round = 1; round <= MaxWarmupRounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var jitBefore = ContextSwitches.TieredCompilationSeconds(serverPid);
            var ids = await Task.WhenAll(Enumerable.Range(0, WarmupSessions).Select(_ => api.CreateSessionAsync(body, ct)));
            foreach (var id in ids)
            {
                while (!(await api.GetStringAsync($"api/sessions/{id}", ct)).Contains("\"status\":\"idle\"", StringComparison.Ordinal))
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(90))
                        throw new InvalidOperationException($"warm-up session {id} did not go idle within 90 s");
                    await Task.Delay(100, ct);
                }
            }
            var jit = ContextSwitches.TieredCompilationSeconds(serverPid) - jitBefore;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  warm-up {round}: {ids.Length} sessions x {WarmupMessages} messages in {clock.Elapsed.TotalSeconds:F1} s; tiered compilation {jit:F2} s CPU"));
            if (jit < QuietJitSeconds)
                return;
        }
    }

    private const int MaxWarmupRounds = 4;
    private const double QuietJitSeconds = 0.3;

    private const int WarmupMessages = 100;

    private const int WarmupSessions = 40;

    /// <summary><c>GET /api/sessions</c> every 250 ms while the sessions run: what a dashboard's list costs under load.</summary>
    private static async Task ProbeSessionListAsync(OverseerClient api, LatencyHistogram latency, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                await api.GetStringAsync("api/sessions", ct);
                latency.Record((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                await Task.Delay(250, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> WaitForAllAsync(IReadOnlyList<IStreamClient> clients, IReadOnlyList<string> ids, int messages, Stopwatch clock, TimeSpan deadline, CancellationToken ct)
    {
        var expected = (long)messages * ids.Count * clients.Count;
        var nextProgress = TimeSpan.FromSeconds(5);
        while (true)
        {
            long received = 0;
            var finished = 0;
            foreach (var client in clients)
            {
                foreach (var id in ids)
                    received += client.ReceiptsFor(id)?.Distinct ?? 0;
                if (client.IsFinished)
                    finished++;
            }

            if (received == expected)
                return true;
            if (finished == clients.Count || clock.Elapsed >= deadline)
                return false;
            if (clock.Elapsed >= nextProgress)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds,5:F1} s: {100.0 * received / expected:F1} % of receipts"));
                nextProgress += TimeSpan.FromSeconds(5);
            }

            await Task.Delay(100, ct);
        }
    }

    private static byte[] SessionBody(string projectId, string prompt)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("projectId", projectId);
            writer.WriteString("prompt", prompt);
            writer.WriteString("runtime", "claude-code");
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
