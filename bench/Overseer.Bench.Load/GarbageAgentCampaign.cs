using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// The soak's agent campaign: claude-code sessions whose stand-in CLI (<see cref="FakeClaude"/>)
/// answers each turn with a named kind of garbage. Starts sessions, sends follow-ups to idle
/// ones, closes them after a few turns; at the end, finds the stuck ones: still
/// running/starting 30 s after their last turn began, with no new event while watched.
/// </summary>
internal sealed class GarbageAgentCampaign(Uri baseUri, string token, string projectId, SoakStats stats, int seed) : IDisposable
{
    /// <summary>How long a turn may go on before a session still running with no new events is stuck.</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(30);

    private const int MaxLive = 6; // live sessions at once: each is a process holding a slot
    private const int TurnsPerSession = 4;
    private const int MaxSessions = 2_000;

    private readonly Random _random = new(seed * 31 + 2000);
    private readonly Dictionary<string, Tracked> _sessions = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int SessionsStarted { get; private set; }

    public int TurnsStarted { get; private set; }

    /// <summary>Per stuck session: id, status, and the kind of garbage of its last turn.</summary>
    public List<string> Stuck { get; } = [];

    private sealed class Tracked(string kind, TimeSpan turnStarted)
    {
        public string Kind { get; set; } = kind;
        public TimeSpan TurnStarted { get; set; } = turnStarted;
        public int Turns { get; set; } = 1;
        public string Status { get; set; } = "queued";
        public bool Closed { get; set; }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var kindIndex = 0;
        while (!stop.IsCancellationRequested && SessionsStarted < MaxSessions)
        {
            try
            {
                await RefreshAsync(stop);
                // Every kind in turn, so a short run still covers them all.
                var kind = FakeClaude.Kinds[kindIndex++ % FakeClaude.Kinds.Length];
                var idle = _sessions.FirstOrDefault(s => !s.Value.Closed && s.Value.Status == "idle");
                if (idle.Key is not null && idle.Value.Turns >= TurnsPerSession)
                {
                    idle.Value.Closed = true;
                    await PostAsync($"api/sessions/{idle.Key}/close", "{}", stop);
                }
                else if (idle.Key is not null)
                {
                    var (status, _) = await PostAsync($"api/sessions/{idle.Key}/messages", $"{{\"text\":\"follow-up: {kind}\"}}", stop);
                    if (status is >= 200 and < 300)
                    {
                        idle.Value.Kind = kind;
                        idle.Value.Turns++;
                        idle.Value.TurnStarted = _clock.Elapsed;
                        idle.Value.Status = "running";
                        TurnsStarted++;
                    }
                }
                else if (_sessions.Count(s => !s.Value.Closed && IsLive(s.Value.Status)) < MaxLive)
                {
                    var (status, body) = await PostAsync("api/sessions", $"{{\"projectId\":\"{projectId}\",\"prompt\":\"soak garbage: {kind}\",\"runtime\":\"claude-code\"}}", stop);
                    if (status is >= 200 and < 300 && Id(body) is { } id)
                    {
                        _sessions[id] = new Tracked(kind, _clock.Elapsed);
                        SessionsStarted++;
                        TurnsStarted++;
                    }
                }

                await Task.Delay(_random.Next(200, 800), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>
    /// After the load stops: waits until every session still running/starting has had
    /// <see cref="StuckAfter"/> since its turn began, then watches each for 5 s; those still
    /// running/starting with no new event are stuck. Bounded: at most StuckAfter + 10 s.
    /// </summary>
    public async Task FindStuckAsync(CancellationToken ct)
    {
        var deadline = _clock.Elapsed + StuckAfter + TimeSpan.FromSeconds(10);
        await RefreshAsync(ct);
        var candidates = _sessions.Where(s => s.Value.Status is "running" or "starting").ToList();
        if (candidates.Count == 0)
            return;
        var latest = candidates.Max(c => c.Value.TurnStarted) + StuckAfter;
        while (_clock.Elapsed < latest && _clock.Elapsed < deadline)
        {
            await Task.Delay(500, ct);
            await RefreshAsync(ct);
            if (!candidates.Any(c => c.Value.Status is "running" or "starting"))
                return;
        }

        var before = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (id, _) in candidates.Where(c => c.Value.Status is "running" or "starting"))
            before[id] = await LastSeqAsync(id, ct);
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        await RefreshAsync(ct);
        foreach (var (id, tracked) in candidates)
        {
            if (tracked.Status is "running" or "starting" && before.TryGetValue(id, out var seq) && await LastSeqAsync(id, ct) == seq)
                Stuck.Add($"{id} ({tracked.Status}, last turn: {tracked.Kind}, started {(_clock.Elapsed - tracked.TurnStarted).TotalSeconds:F0} s before)");
        }
    }

    private static bool IsLive(string status) => status is "queued" or "starting" or "running" or "waiting" or "idle" or "rate_limited";

    /// <summary>Reads the status of every open session from <c>GET /api/sessions/{id}</c>.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        foreach (var (id, tracked) in _sessions.Where(s => !s.Value.Closed || s.Value.Status is "running" or "starting"))
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"api/sessions/{id}", null, ct);
            if (status == 200 && Field(body, "status") is { } value)
                tracked.Status = value;
            if (tracked.Status is "completed" or "failed" or "cancelled")
                tracked.Closed = true;
        }
    }

    private async Task<long> LastSeqAsync(string id, CancellationToken ct)
    {
        long last = 0;
        // Pages of up to 10,000 events; a session that keeps growing would page forever, so stop at 20.
        for (var page = 0; page < 20; page++)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"api/sessions/{id}/events?after={last}&limit=10000", null, ct);
            if (status != 200)
                return last;
            using var doc = JsonDocument.Parse(body);
            var items = doc.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 0)
                return last;
            last = items[items.GetArrayLength() - 1].GetProperty("seq").GetInt64();
            if (doc.RootElement.GetProperty("next").ValueKind == JsonValueKind.Null)
                return last;
        }

        return last;
    }

    private Task<(int Status, string Body)> PostAsync(string path, string json, CancellationToken ct) => SendAsync(HttpMethod.Post, path, json, ct);

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        try
        {
            using var response = await _http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            stats.Http((int)response.StatusCode, method.Method, "/" + path, (json ?? "(none)") + ((int)response.StatusCode >= 500 ? " → answer: " + HttpCampaign.Shorten(text, 300) : ""), agentCampaign: true);
            return ((int)response.StatusCode, text);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            stats.Transport(method.Method, "/" + path, ex.Message, agentCampaign: true);
            return (0, "");
        }
    }

    private static string? Id(string body) => Field(body, "id");

    private static string? Field(string body, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
