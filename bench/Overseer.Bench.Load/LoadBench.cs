using System.Diagnostics;

namespace Overseer.Bench.Load;

/// <summary>
/// One benchmark run: server up, project, K subscribers, N sessions; waits until every
/// subscriber has every agent.text of every session (or S + 30 s), then reports.
/// </summary>
public sealed class LoadBench(BenchOptions options, TextWriter output)
{
    private const int CreateParallelism = 16;

    /// <summary>Returns the process exit code: 0 when nothing was lost, duplicated or reordered, else 1.</summary>
    public async Task<int> RunAsync(string? serverDll, CancellationToken ct)
    {
        ServerProcess? server = null;
        RssSampler? rss = null;
        var subscribers = new List<SseSubscriber>();
        var projectDir = Path.Combine(
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "overseer-bench", Guid.NewGuid().ToString("N"));
        try
        {
            Uri baseUri;
            string token;
            if (options.Url is { } url && options.Token is { } given)
            {
                (baseUri, token) = (url, given);
                output.WriteLine($"server: {baseUri} (not started by the benchmark; no RSS figures)");
            }
            else
            {
                var started = Stopwatch.StartNew();
                server = await ServerProcess.StartAsync(serverDll ?? throw new InvalidOperationException("no server dll to start"), options.Sessions + 10, ct);
                (baseUri, token) = (server.BaseUri, server.Token);
                rss = new RssSampler(server.Pid);
                output.WriteLine($"server: {serverDll} pid {server.Pid} at {baseUri}, healthy after {started.Elapsed.TotalSeconds:F2} s");
            }

            using var api = new OverseerClient(baseUri, token);
            Directory.CreateDirectory(projectDir);
            var projectId = await api.CreateProjectAsync(projectDir, ct);

            for (var i = 0; i < options.Subscribers; i++)
                subscribers.Add(new SseSubscriber(i, baseUri, token, options.EventsPerSession));
            await Task.WhenAll(subscribers.Select(s => s.ConnectAsync(ct)));
            output.WriteLine($"subscribers: {subscribers.Count} connected to /api/stream");

            var cpu = new CpuMeter(server?.Pid);
            var clock = Stopwatch.StartNew();
            var startTicks = DateTimeOffset.UtcNow.UtcTicks;
            var sessionIds = await CreateSessionsAsync(api, projectId, ct);
            output.WriteLine($"sessions: {sessionIds.Count} created in {clock.Elapsed.TotalSeconds:F2} s; waiting for their events");

            var complete = await WaitForAllAsync(subscribers, sessionIds, clock, ct);
            var endRssKb = rss?.SampleNow() ?? 0;
            var (serverCpu, benchCpu) = cpu.Elapsed();
            foreach (var subscriber in subscribers)
                await subscriber.DisposeAsync(); // stops reading; the counters are final afterwards

            var result = BenchResult.From(options, options.EventsPerSession, subscribers, sessionIds, startTicks, complete, rss, endRssKb)
                with { ServerCpuSeconds = serverCpu, BenchCpuSeconds = benchCpu };
            result.Print(output);
            if (server is not null && !result.Passed)
                output.WriteLine($"server output (last lines):{Environment.NewLine}{server.OutputTail()}");
            if (server is null)
                await api.TryDeleteProjectAsync(projectId, CancellationToken.None);
            return result.Passed ? 0 : 1;
        }
        catch (Exception ex) when (server is not null && ex is not OperationCanceledException)
        {
            output.WriteLine($"server output (last lines):{Environment.NewLine}{server.OutputTail()}");
            throw;
        }
        finally
        {
            foreach (var subscriber in subscribers)
                await subscriber.DisposeAsync();
            if (rss is not null)
                await rss.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            ServerProcess.DeleteQuietly(projectDir);
        }
    }

    private async Task<IReadOnlyList<string>> CreateSessionsAsync(OverseerClient api, string projectId, CancellationToken ct)
    {
        var body = OverseerClient.SessionBody(projectId, options.EventsPerSession, options.SleepMs);
        var ids = new string[options.Sessions];
        await Parallel.ForAsync(
            0,
            options.Sessions,
            new ParallelOptions { MaxDegreeOfParallelism = CreateParallelism, CancellationToken = ct },
            async (i, token) => ids[i] = await api.CreateSessionAsync(body, token));
        return ids;
    }

    /// <summary>Polls the subscribers until all have everything, all have stopped, or S + 30 s pass.</summary>
    private async Task<bool> WaitForAllAsync(
        IReadOnlyList<IStreamClient> subscribers, IReadOnlyList<string> sessionIds, Stopwatch clock, CancellationToken ct)
    {
        var deadline = TimeSpan.FromSeconds(options.Seconds + 30);
        var nextProgress = TimeSpan.FromSeconds(5);
        while (true)
        {
            var done = 0;
            long received = 0;
            foreach (var subscriber in subscribers)
            {
                var missing = false;
                foreach (var id in sessionIds)
                {
                    var distinct = subscriber.ReceiptsFor(id)?.Distinct ?? 0;
                    received += distinct;
                    missing |= distinct < options.EventsPerSession;
                }

                if (!missing || subscriber.IsFinished)
                    done++;
            }

            var expected = (long)options.EventsPerSession * sessionIds.Count * subscribers.Count;
            if (received == expected)
                return true;
            if (done == subscribers.Count || clock.Elapsed >= deadline)
                return false;
            if (clock.Elapsed >= nextProgress)
            {
                output.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F1} s: {100.0 * received / expected:F1} % of agent.text receipts");
                nextProgress += TimeSpan.FromSeconds(5);
            }

            await Task.Delay(100, ct);
        }
    }
}
