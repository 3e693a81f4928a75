using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Overseer.Bench.Load;

/// <summary>
/// The soak's REST campaign: a seeded loop of mutated requests to every <c>/api</c> route, only
/// ever to the server's own loopback address. It works on a project and sessions of its own
/// (deleting, cancelling and merging included) so it cannot disturb the agent campaign's.
/// </summary>
internal sealed class HttpCampaign(Uri baseUri, string token, string projectDir, SoakStats stats, int seed)
{
    /// <summary>A hard cap besides the clock, so a very fast server cannot make the run unbounded.</summary>
    private const long MaxRequestsPerWorker = 2_000_000;
    private const int MaxOwnSessions = 200;

    private readonly List<string> _projectIds = [];
    private readonly List<string> _sessionIds = [];

    public async Task RunAsync(int workers, CancellationToken stop)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1), MaxConnectionsPerServer = workers * 2 };
        using var http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkerAsync(http, new Garbage(new Random(seed * 31 + w)), stop)));
    }

    private async Task WorkerAsync(HttpClient http, Garbage garbage, CancellationToken stop)
    {
        for (long i = 0; i < MaxRequestsPerWorker && !stop.IsCancellationRequested; i++)
        {
            // Keep a live project and a few sessions of our own to aim the id routes at.
            if (i % 200 == 0 || _projectIds.Count == 0)
                await EnsureProjectAsync(http, garbage.Random, stop);
            var (method, path, fields, stream) = Route(garbage);
            try
            {
                await SendAsync(http, garbage, method, path, fields, stream, stop);
            }
            catch (Exception ex) when (ex is UriFormatException or InvalidOperationException or FormatException)
            {
                // The client refused to send it (a path or header .NET will not put on the wire): nothing reached the server.
            }
        }
    }

    private async Task EnsureProjectAsync(HttpClient http, Random random, CancellationToken stop)
    {
        var dir = Path.Combine(projectDir, "p" + random.Next(4));
        Directory.CreateDirectory(dir);
        var id = await PostForIdAsync(http, "api/projects", $"{{\"path\":{JsonSerializer.Serialize(dir)}}}", stop);
        if (id is not null)
        {
            lock (_projectIds)
            {
                if (!_projectIds.Contains(id))
                    _projectIds.Add(id);
            }
        }
        else
        {
            // Already registered under that path: adopt whatever projects exist.
            try
            {
                using var doc = JsonDocument.Parse(await GetAsync(http, "api/projects", stop));
                lock (_projectIds)
                {
                    _projectIds.Clear();
                    // Only this campaign's own projects, never the agent campaign's.
                    foreach (var item in Items(doc.RootElement))
                    {
                        if (item.GetProperty("path").GetString() is { } path && path.StartsWith(projectDir, StringComparison.Ordinal))
                            _projectIds.Add(item.GetProperty("id").GetString()!);
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or HttpRequestException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
            {
            }
        }

        if (_sessionIds.Count < MaxOwnSessions && ProjectId(null) is { } project)
        {
            var script = "[{\"say\":\"hello\"},{\"sleep\":50},{\"say\":\"bye\"}]";
            var session = await PostForIdAsync(http, "api/sessions", $"{{\"projectId\":\"{project}\",\"prompt\":\"soak\",\"runtime\":\"scripted\",\"script\":{script}}}", stop);
            if (session is not null)
            {
                lock (_sessionIds)
                    _sessionIds.Add(session);
            }
        }
    }

    private static IEnumerable<JsonElement> Items(JsonElement root) =>
        root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : root.TryGetProperty("items", out var items) ? items.EnumerateArray() : [];

    private string? ProjectId(Garbage? garbage)
    {
        lock (_projectIds)
            return _projectIds.Count == 0 ? null : _projectIds[garbage?.Random.Next(_projectIds.Count) ?? 0];
    }

    private string SessionId(Garbage garbage)
    {
        lock (_sessionIds)
        {
            if (_sessionIds.Count > 0 && garbage.Random.Next(4) != 0)
                return _sessionIds[garbage.Random.Next(_sessionIds.Count)];
        }

        return garbage.UrlValue();
    }

    private string AnyId(Garbage garbage, string prefix) =>
        garbage.Random.Next(3) == 0 ? garbage.UrlValue() : prefix + "_" + garbage.Random.Next(1_000_000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One route of the API with its method, a path whose ids and query are random, and its body's fields.</summary>
    private (HttpMethod Method, string Path, IReadOnlyList<(string, string)>? Fields, bool Stream) Route(Garbage g)
    {
        var project = g.Random.Next(4) == 0 ? g.UrlValue() : ProjectId(g) ?? "p_none";
        var session = SessionId(g);
        string Q() => g.UrlValue();
        string S() => g.StringLiteral();
        var q = JsonSerializer.Serialize(project);
        var scriptJson = g.Random.Next(3) == 0 ? g.Pick(["[]", "{}", "[{\"say\":1}]", "[{\"sleep\":-5}]", "[{\"sleep\":999999999}]", "[{\"nope\":true}]", "\"say\""]) : "[{\"say\":\"hi\"}]";
        var runtime = g.Random.Next(4) == 0 ? S() : "\"scripted\"";
        return g.Random.Next(44) switch
        {
            0 => (HttpMethod.Get, "api/projects", null, false),
            1 => (HttpMethod.Post, "api/projects", [("path", g.Random.Next(2) == 0 ? JsonSerializer.Serialize(Path.Combine(projectDir, "p" + g.Random.Next(6))) : S()), ("name", S())], false),
            2 => (HttpMethod.Get, $"api/projects/{project}", null, false),
            3 => (g.Random.Next(10) == 0 ? HttpMethod.Delete : HttpMethod.Get, $"api/projects/{project}", null, false),
            4 or 5 => (HttpMethod.Post, "api/sessions", [("projectId", q), ("prompt", S()), ("runtime", runtime), ("model", S()), ("priority", g.Pick(["1", "-1", "2147483648", "\"high\""])), ("script", scriptJson), ("isolation", g.Pick(["\"none\"", "\"worktree\"", "\"container\"", "7"]))], false),
            6 => (HttpMethod.Get, $"api/sessions?status={Q()}&projectId={Q()}&cursor={Q()}&limit={Q()}", null, false),
            7 => (HttpMethod.Get, "api/sessions?limit=" + g.Pick(["0", "1", "100", "101", "-5", "99999999999", "abc"]), null, false),
            8 => (HttpMethod.Get, $"api/sessions/{session}", null, false),
            9 or 10 => (HttpMethod.Post, $"api/sessions/{session}/messages", [("text", S())], false),
            11 => (HttpMethod.Post, $"api/sessions/{session}/interrupt", null, false),
            12 => (HttpMethod.Post, $"api/sessions/{session}/pause", null, false),
            13 => (HttpMethod.Post, $"api/sessions/{session}/resume", null, false),
            14 => (HttpMethod.Post, $"api/sessions/{session}/cancel", null, false),
            15 => (HttpMethod.Post, $"api/sessions/{session}/close", null, false),
            16 => (HttpMethod.Post, $"api/sessions/{session}/merge", [("message", S())], false),
            17 => (HttpMethod.Post, $"api/sessions/{session}/discard", null, false),
            18 => (HttpMethod.Get, $"api/sessions/{session}/events?after={g.Pick(["-1", "0", "9223372036854775807", "9223372036854775808", "x", Q()])}&limit={g.Pick(["0", "1", "10000", "10001", "-1", Q()])}", null, false),
            19 => (HttpMethod.Get, $"api/sessions/{session}/stream" + (g.Random.Next(2) == 0 ? "?after=" + Q() : ""), null, true),
            20 => (HttpMethod.Get, "api/questions" + (g.Random.Next(2) == 0 ? "?status=" + Q() : ""), null, false),
            21 => (HttpMethod.Get, $"api/questions/{AnyId(g, "q")}", null, false),
            22 => (HttpMethod.Post, $"api/questions/{AnyId(g, "q")}/answer", [("answers", g.Pick(["{\"q\":\"a\"}", "{\"q\":[1,2]}", "[]", "{\"\\ud800\":1}"]))], false),
            23 => (HttpMethod.Get, "api/approvals" + (g.Random.Next(2) == 0 ? "?status=" + Q() : ""), null, false),
            24 => (HttpMethod.Get, $"api/approvals/{AnyId(g, "a")}", null, false),
            25 => (HttpMethod.Post, $"api/approvals/{AnyId(g, "a")}/approve", [("confirm", S()), ("remember", g.Pick(["\"session\"", "\"project\"", "\"always\"", "1"]))], false),
            26 => (HttpMethod.Post, $"api/approvals/{AnyId(g, "a")}/deny", [("reason", S())], false),
            27 => (HttpMethod.Get, "api/dependencies" + (g.Random.Next(2) == 0 ? "?status=" + Q() : ""), null, false),
            28 => (HttpMethod.Get, $"api/dependencies/{AnyId(g, "d")}", null, false),
            29 => (HttpMethod.Post, $"api/dependencies/{AnyId(g, "d")}/provide", [("value", S()), ("secret", S())], false),
            30 => (HttpMethod.Get, "api/reviews" + (g.Random.Next(2) == 0 ? "?status=" + Q() : ""), null, false),
            31 => (HttpMethod.Post, $"api/reviews/{AnyId(g, "r")}/approve", null, false),
            32 => (HttpMethod.Post, $"api/reviews/{AnyId(g, "r")}/request-changes", [("feedback", S())], false),
            33 => (HttpMethod.Get, "api/secrets", null, false),
            34 => (HttpMethod.Put, $"api/secrets/{g.Pick(["API_KEY", "soak", Q()])}", [("value", S()), ("projects", g.Pick(["[]", "[" + q + "]", "[1]", "\"all\"", "[\"\\ud800\"]"]))], false),
            35 => (g.Random.Next(3) == 0 ? HttpMethod.Delete : HttpMethod.Get, $"api/secrets/{g.Pick(["API_KEY", "soak", Q()])}", null, false),
            36 => (HttpMethod.Post, "api/policy/evaluate", [("tool", g.Pick(["\"Bash\"", "\"Read\"", "\"Write\"", S()])), ("input", g.Pick(["{\"command\":\"rm -rf /\"}", "{\"command\":\"ls \\ud800\"}", "{\"file_path\":\"/etc/shadow\"}", "\"ls\"", "null", "{\"command\":" + S() + "}"])), ("projectId", q)], false),
            37 => (HttpMethod.Get, "api/policy" + (g.Random.Next(2) == 0 ? "?projectId=" + Q() : ""), null, false),
            38 => (g.Random.Next(3) == 0 ? HttpMethod.Delete : HttpMethod.Get, g.Random.Next(2) == 0 ? "api/policy/rules" : $"api/policy/rules/{AnyId(g, "rule")}", null, false),
            39 => (HttpMethod.Get, "api/stats", null, false),
            40 => (HttpMethod.Get, "api/usage?groupBy=" + g.Pick(["day", "model", "project", "session", "DAY", "1", "week", "", "%FF", "%ED%A0%80", Q()]), null, false),
            41 => (HttpMethod.Get, "api/stream" + (g.Random.Next(3) == 0 ? "?after=" + Q() : ""), null, true),
            42 => (g.Pick([HttpMethod.Patch, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Options, HttpMethod.Head]), g.Pick(["api/sessions", "api/projects", $"api/sessions/{session}", "api/stats", "api/nope/" + Q()]), null, false),
            _ => (HttpMethod.Get, $"api/{Q()}/{Q()}", null, false),
        };
    }

    private async Task SendAsync(HttpClient http, Garbage g, HttpMethod method, string path, IReadOnlyList<(string, string)>? fields, bool stream, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(method, path);
        byte[]? body = null;
        if (fields is not null || g.Random.Next(8) == 0)
        {
            body = g.Body(fields ?? []).Body;
            request.Content = new ByteArrayContent(body);
            var contentType = g.Random.Next(10) switch
            {
                0 => null,
                1 => "text/plain",
                2 => "application/json; charset=latin1",
                3 => "multipart/form-data; boundary=x",
                4 => "application/x-www-form-urlencoded",
                5 => "application/json; charset=utf-16",
                _ => "application/json",
            };
            if (contentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        Authorize(request, g);
        if (stream && g.Random.Next(2) == 0)
            request.Headers.TryAddWithoutValidation("Last-Event-ID", g.Pick(["-1", "abc", "9223372036854775808", "1e3", " 5 ", "0", "18446744073709551616", "5,6", new string('9', 3000)]));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            // Headers only: the SSE routes never end, and the status is what is counted.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var preview = Preview(body);
            if (!stream)
            {
                var text = await response.Content.ReadAsStringAsync(timeout.Token);
                if (status >= 500)
                    preview += " → answer: " + Shorten(text, 300);
            }

            stats.Http(status, method.Method, "/" + path, preview);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !stop.IsCancellationRequested)
        {
            stats.Transport(method.Method, "/" + path, ex.GetType().Name + ": " + ex.Message + (ex.InnerException is { } inner ? " (" + inner.Message + ")" : "") + " · sent " + Preview(body));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException or IOException)
        {
            // The run's clock stopped this request; it is not counted.
        }
    }

    /// <summary>The right token most of the time; otherwise none, a wrong one, a wrong scheme or an odd one.</summary>
    private void Authorize(HttpRequestMessage request, Garbage g)
    {
        var header = g.Random.Next(40) switch
        {
            0 => null,
            1 => "Bearer wrong-token",
            2 => "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("admin:" + token)),
            3 => "Bearer",
            4 => "Bearer " + token + "x",
            5 => "Bearer " + new string('t', 8000),
            6 => "bearer " + token,
            7 => "Bearer  " + token,
            _ => "Bearer " + token,
        };
        if (header is not null)
            request.Headers.TryAddWithoutValidation("Authorization", header);
    }

    private async Task<string?> PostForIdAsync(HttpClient http, string path, string json, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, stop);
            var text = await response.Content.ReadAsStringAsync(stop);
            stats.Http((int)response.StatusCode, "POST", "/" + path, Shorten(json, 200) + (response.IsSuccessStatusCode ? "" : " → answer: " + Shorten(text, 300)));
            if (!response.IsSuccessStatusCode)
                return null;
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.GetProperty("id").GetString();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !stop.IsCancellationRequested)
        {
            stats.Transport("POST", "/" + path, ex.Message);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<string> GetAsync(HttpClient http, string path, CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, stop);
        var text = await response.Content.ReadAsStringAsync(stop);
        stats.Http((int)response.StatusCode, "GET", "/" + path, "");
        return text;
    }

    private static string Preview(byte[]? body)
    {
        if (body is null)
            return "(none)";
        var head = body.AsSpan(0, Math.Min(body.Length, 160));
        var text = Encoding.UTF8.GetString(head).Replace("\uFFFD", "\\xNN", StringComparison.Ordinal);
        return $"{body.Length} bytes: {text}{(body.Length > 160 ? "…" : "")}";
    }

    internal static string Shorten(string text, int max) =>
        (text.Length <= max ? text : text[..max] + "…").ReplaceLineEndings(" ");
}
