using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// DESIGN.md §10: "1,000 hibernated sessions under 150 MB" and "waking costs ≤ cold start +
/// 100 ms". Starts the real server with <c>Sessions:HibernateAfter</c> of a second, plays N
/// one-turn scripted sessions, waits until every one is idle and hibernated, and reads the
/// server's RSS. Then it times, one at a time, a cold start (a new session, to its first
/// agent.text) against a wake (a message to a hibernated session, to the agent.text of its reply).
/// </summary>
public sealed class HibernationBench(int sessions, int samples, TextWriter output)
{
    // The scripted agent's reply to a later message sleeps 50 ms before it speaks: the cold
    // session's script does the same, so both measure the path, not the script.
    private const string ColdScript = """[{"sleep": 50}, {"say": "hello"}]""";

    public async Task<int> RunAsync(string serverDll, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartAsync(serverDll, 16, ct, new Dictionary<string, string>
        {
            ["OVERSEER__Sessions__HibernateAfter"] = "00:00:01",
        });
        var projectDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "overseer-bench", "hibernate-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(projectDir);
        try
        {
            using var api = new OverseerClient(server.BaseUri, server.Token);
            using var http = Http(server.BaseUri, server.Token);
            await Task.Delay(2000, ct);
            await using var rss = new RssSampler(server.Pid);
            var idleKb = rss.SampleNow();
            var projectId = await api.CreateProjectAsync(projectDir, ct);

            var played = Stopwatch.StartNew();
            var ids = new List<string>(sessions);
            for (var i = 0; i < sessions; i++)
                ids.Add(await api.CreateSessionAsync(Body(projectId, """[{"say": "hello"}]"""), ct));
            var hibernated = await WaitForHibernatedAsync(http, sessions, TimeSpan.FromMinutes(10), ct);
            played.Stop();
            output.WriteLine($"hibernation: {sessions:#,0} scripted sessions played and hibernated in {played.Elapsed.TotalSeconds:0.0} s ({hibernated:#,0} hibernated)");
            // Let the runtime settle (the agents' buffers collected) before reading the figure.
            await Task.Delay(5000, ct);
            var justHeldKb = rss.SampleNow();
            // The figure that counts is the server's once it has been quiet a while: after a burst
            // it hands memory back by itself (a full collection and a native heap trim).
            await Task.Delay(TimeSpan.FromSeconds(40), ct);
            var heldKb = rss.SampleNow();
            var perSession = (heldKb - idleKb) * 1024.0 / Math.Max(1, sessions);
            output.WriteLine($"server RSS: idle {idleKb / 1024.0:0.0} MB, with {sessions:#,0} hibernated sessions {justHeldKb / 1024.0:0.0} MB 5 s after the last hibernated, {heldKb / 1024.0:0.0} MB 45 s after (peak {rss.PeakKb / 1024.0:0.0} MB), {perSession / 1024.0:0.0} KB per session");

            var cold = new List<double>();
            var wake = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                cold.Add(await ColdStartAsync(http, projectId, ct));
                wake.Add(await WakeAsync(http, ids[i * Math.Max(1, ids.Count / samples) % ids.Count], ct));
            }
            var coldMedian = Median(cold);
            var wakeMedian = Median(wake);
            output.WriteLine($"cold start to first text: median {coldMedian:0.0} ms, max {cold.Max():0.0} ms ({samples} runs)");
            output.WriteLine($"wake to first text:       median {wakeMedian:0.0} ms, max {wake.Max():0.0} ms ({samples} runs)");

            var memoryMet = sessions < 1000 || heldKb < 150 * 1024;
            var wakeMet = wakeMedian <= coldMedian + 100;
            output.WriteLine($"target: {sessions:#,0} hibernated sessions < 150 MB → {(sessions < 1000 ? "not measured (run with --sessions 1000)" : memoryMet ? "met" : "NOT met")}");
            output.WriteLine($"target: wake ≤ cold start + 100 ms → {(wakeMet ? "met" : "NOT met")} ({wakeMedian - coldMedian:+0.0;-0.0} ms)");
            output.WriteLine($"result: {(memoryMet && wakeMet ? "PASS" : "FAIL")}");
            return memoryMet && wakeMet ? 0 : 1;
        }
        finally
        {
            ServerProcess.DeleteQuietly(projectDir);
        }
    }

    /// <summary>Pages through the idle sessions until <paramref name="expected"/> of them are hibernated.</summary>
    private static async Task<int> WaitForHibernatedAsync(HttpClient http, int expected, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var count = 0;
            string? cursor = null;
            do
            {
                using var page = JsonDocument.Parse(await http.GetStringAsync("api/sessions?status=idle&limit=200" + (cursor is null ? "" : "&cursor=" + cursor), ct));
                count += page.RootElement.GetProperty("items").EnumerateArray().Count(s => s.TryGetProperty("hibernated", out var h) && h.GetBoolean());
                cursor = page.RootElement.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (cursor is not null);
            if (count >= expected)
                return count;
            if (deadline.Elapsed > timeout)
                throw new InvalidOperationException($"only {count} of {expected} sessions hibernated within {timeout.TotalMinutes} minutes");
            await Task.Delay(500, ct);
        }
    }

    private static async Task<double> ColdStartAsync(HttpClient http, string projectId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var id = await PostForIdAsync(http, "api/sessions", Body(projectId, ColdScript), ct);
        await FirstTextAfterAsync(http, id, 0, ct);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> WakeAsync(HttpClient http, string id, CancellationToken ct)
    {
        var after = await LastSeqAsync(http, id, ct);
        var watch = Stopwatch.StartNew();
        using (var content = Json("""{"text": "wake up"}"""))
        using (var response = await http.PostAsync($"api/sessions/{id}/messages", content, ct))
        {
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /api/sessions/{id}/messages answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
        await FirstTextAfterAsync(http, id, after, ct);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Polls the session's events (every 2 ms) until an agent.text after <paramref name="after"/> is stored.</summary>
    private static async Task FirstTextAfterAsync(HttpClient http, string id, long after, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var events = JsonDocument.Parse(await http.GetStringAsync($"api/sessions/{id}/events?after={after}&limit=1000", ct));
            foreach (var e in events.RootElement.GetProperty("items").EnumerateArray())
            {
                if (e.GetProperty("type").GetString() == "agent.text")
                    return;
                after = Math.Max(after, e.GetProperty("seq").GetInt64());
            }
            await Task.Delay(2, ct);
        }
        throw new InvalidOperationException($"session {id} said nothing within 30 s");
    }

    private static async Task<long> LastSeqAsync(HttpClient http, string id, CancellationToken ct)
    {
        long last = 0;
        while (true)
        {
            using var events = JsonDocument.Parse(await http.GetStringAsync($"api/sessions/{id}/events?after={last}&limit=1000", ct));
            var items = events.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 0)
                return last;
            last = items[items.GetArrayLength() - 1].GetProperty("seq").GetInt64();
        }
    }

    private static async Task<string> PostForIdAsync(HttpClient http, string path, byte[] body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    private static byte[] Body(string projectId, string script) =>
        Encoding.UTF8.GetBytes($$"""{"projectId": "{{projectId}}", "prompt": "bench", "runtime": "scripted", "script": {{script}}}""");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpClient Http(Uri baseUri, string token)
    {
        var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
