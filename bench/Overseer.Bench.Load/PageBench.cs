using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Overseer.Bench.Load;

/// <summary>
/// DESIGN.md §10 "a session page with 100,000 events opens in ≤ 1 s": plays a scripted session
/// of N events through the real engine, signs in to the dashboard like a browser, and times
/// opening the session page and loading the page of events before it.
/// </summary>
public sealed partial class PageBench(int events, TextWriter output)
{
    public async Task<int> RunAsync(string serverDll, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartAsync(serverDll, 10, ct, new Dictionary<string, string>
        {
            ["OVERSEER__Api__MaxBodyBytes"] = (256L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var projectDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "overseer-bench", "page-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(projectDir);
        try
        {
            using var api = new OverseerClient(server.BaseUri, server.Token);
            var projectId = await api.CreateProjectAsync(projectDir, ct);
            var played = Stopwatch.StartNew();
            var sessionId = await api.CreateSessionAsync(OverseerClient.SayBody(projectId, events), ct);
            while (true)
            {
                var status = JsonDocument.Parse(await api.GetStringAsync($"api/sessions/{sessionId}", ct)).RootElement.GetProperty("status").GetString();
                if (status is "idle")
                    break;
                if (status is "failed" or "cancelled")
                    throw new InvalidOperationException($"the session {status}");
                await Task.Delay(200, ct);
            }
            played.Stop();
            var lastSeq = JsonDocument.Parse(await api.GetStringAsync("health", ct)).RootElement.GetProperty("store").GetProperty("lastSeq").GetInt64();
            output.WriteLine($"session of {events:#,0} agent.text events ({lastSeq:#,0} events in the store) played in {played.Elapsed.TotalSeconds:0.0} s ({events / played.Elapsed.TotalSeconds:#,0} ev/s through the engine)");

            using var browser = await SignInAsync(server.BaseUri, server.Token, ct);
            var open = await TimeAsync(browser, $"sessions/{sessionId}", 7, ct);
            output.WriteLine($"open the session page: first {open.First:0.0} ms, median {open.Median:0.0} ms, max {open.Max:0.0} ms, {open.Bytes / 1024.0:#,0} KiB of HTML");
            var older = OlderLink().Match(open.Body);
            if (older.Success)
            {
                var page = await TimeAsync(browser, WebUtility.HtmlDecode(older.Groups[1].Value).TrimStart('/'), 7, ct);
                output.WriteLine($"load the page before it (scrolling up): median {page.Median:0.0} ms, max {page.Max:0.0} ms, {page.Bytes / 1024.0:#,0} KiB");
            }
            output.WriteLine($"target: ≤ 1,000 ms to open → {(open.Median <= 1000 ? "met" : "NOT met")}");
            return 0;
        }
        finally
        {
            ServerProcess.DeleteQuietly(projectDir);
        }
    }

    private static async Task<HttpClient> SignInAsync(Uri baseUri, string token, CancellationToken ct)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUri };
        var login = await http.GetStringAsync("login", ct);
        var csrf = WebUtility.HtmlDecode(CsrfField().Match(login).Groups[1].Value);
        using var response = await http.PostAsync("login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__RequestVerificationToken"] = csrf }), ct);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"dashboard sign-in answered {(int)response.StatusCode}");
        return http;
    }

    private static async Task<Timing> TimeAsync(HttpClient http, string path, int times, CancellationToken ct)
    {
        var samples = new List<double>();
        var body = "";
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            watch.Stop();
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode}");
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        var sorted = samples.Order().ToList();
        return new Timing(samples[0], sorted[sorted.Count / 2], sorted[^1], System.Text.Encoding.UTF8.GetByteCount(body), body);
    }

    private sealed record Timing(double First, double Median, double Max, int Bytes, string Body);

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    [GeneratedRegex("hx-get=\"(/sessions/[^\"]+/events\\?before=\\d+)\"")]
    private static partial Regex OlderLink();
}
