using System.Net.Http.Headers;
using System.Text.Json;
using Overseer.Core.Agents;
using Overseer.Hosting;

namespace Overseer.Cli;

/// <summary>
/// <c>overseer doctor</c>: checks what a working setup needs and says what is wrong in one line
/// each. Exit code 0 when everything passes, 1 otherwise.
/// </summary>
public static class DoctorCommand
{
    public static async Task<int> RunAsync(string url, string dataDir, string? token, string claudePath, TextWriter output, CancellationToken cancellationToken)
    {
        var failures = 0;
        void Report(bool ok, string what)
        {
            output.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
            if (!ok)
                failures++;
        }

        Report(IsWritable(dataDir, out var dataProblem), dataProblem ?? $"data directory {dataDir} is writable");

        token ??= ReadToken(dataDir);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        JsonElement? health = null;
        try
        {
            using var response = await http.GetAsync("/health", cancellationToken);
            health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
            Report(response.IsSuccessStatusCode, $"server at {url} answers /health ({(int)response.StatusCode})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            Report(false, $"server at {url} is not reachable: {ex.Message}");
        }

        if (token is null)
        {
            Report(false, $"no API token: pass --token or keep it in {Path.Combine(dataDir, AuthFiles.AdminToken)}");
        }
        else if (health is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/stats");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            Report(response.IsSuccessStatusCode, response.IsSuccessStatusCode ? "the API token is accepted" : $"the API token is refused ({(int)response.StatusCode})");
        }

        if (health is { } h && h.TryGetProperty("runtimes", out var runtimes) && runtimes.TryGetProperty("claude-code", out var claude))
        {
            var detail = claude.GetString() ?? "";
            Report(detail.StartsWith("available", StringComparison.Ordinal), $"the server's claude CLI: {detail}");
        }
        else
        {
            var found = ExecutableResolver.Find(claudePath);
            Report(found is not null, found is null ? $"claude CLI '{claudePath}' is not on PATH (npm install -g @anthropic-ai/claude-code)" : $"claude CLI found at {found}");
        }

        output.WriteLine(failures == 0 ? "All checks passed." : $"{failures} check(s) failed.");
        return failures == 0 ? 0 : 1;
    }

    private static string? ReadToken(string dataDir)
    {
        var path = Path.Combine(dataDir, AuthFiles.AdminToken);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsWritable(string dataDir, out string? problem)
    {
        problem = null;
        try
        {
            Directory.CreateDirectory(dataDir);
            var probe = Path.Combine(dataDir, $".doctor-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"data directory {dataDir} is not writable: {ex.Message}";
            return false;
        }
    }
}
