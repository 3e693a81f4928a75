using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Overseer.Cli.Client;
using Overseer.Core.Agents;
using Overseer.Hosting;

namespace Overseer.Cli;

/// <summary>
/// <c>overseer doctor</c>: checks what a working setup needs and says what is wrong in one line
/// each. Exit code 0 when everything passes, 1 otherwise. The server and token default to the
/// client's login (<c>overseer login</c>, <c>OVERSEER_URL</c>/<c>OVERSEER_TOKEN</c>), then to a
/// local server and the admin token in its data directory.
/// </summary>
public static class DoctorCommand
{
    public static async Task<int> RunAsync(string? url, string? dataDir, string? token, string claudePath, TextWriter output, CancellationToken cancellationToken)
    {
        var failures = 0;
        void Report(bool ok, string what)
        {
            output.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
            if (!ok)
                failures++;
        }

        Contracts.Cli.ClientConfig? login = null;
        try
        {
            login = ClientConfigStore.Load();
        }
        catch (CliException ex)
        {
            Report(false, ex.Message);
        }
        if (url is null && login is not null)
        {
            url = login.Url;
            token ??= login.Token;
            output.WriteLine($"     using the login in {ClientConfigStore.FilePath} (or {ClientConfigStore.UrlVariable}/{ClientConfigStore.TokenVariable})");
        }
        url ??= ServeOptions.DefaultUrls;

        // The data directory only matters on the server's machine: checked when named or when the server is local.
        var local = Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.IsLoopback;
        if (dataDir is not null || local)
        {
            dataDir ??= DataDirectory.Default;
            Report(IsWritable(dataDir, out var dataProblem), dataProblem ?? $"data directory {dataDir} is writable");
            token ??= ReadToken(dataDir);
        }
        if (parsed is null)
        {
            Report(false, $"'{url}' is not a URL");
            output.WriteLine($"{failures} check(s) failed.");
            return 1;
        }
        using var http = new HttpClient { BaseAddress = parsed, Timeout = TimeSpan.FromSeconds(10) };
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
            Report(false, $"no API token: run 'overseer login {url}', pass --token, or keep it in {Path.Combine(dataDir ?? DataDirectory.Default, AuthFiles.AdminToken)}");
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
            var available = detail.StartsWith("available", StringComparison.Ordinal);
            var defaultRuntime = h.TryGetProperty("defaultRuntime", out var d) ? d.GetString() : null;
            var defaultDetail = defaultRuntime is not null && runtimes.TryGetProperty(defaultRuntime, out var r) ? r.GetString() ?? "" : "";
            if (!available && defaultRuntime is not null && defaultRuntime != "claude-code" && defaultDetail.StartsWith("available", StringComparison.Ordinal))
                // A deliberate setup without Claude Code (the demo): sessions run on the default runtime.
                output.WriteLine($"note the server's claude CLI: {detail}; sessions use the default runtime '{defaultRuntime}', which is available");
            else
                Report(available, $"the server's claude CLI: {detail}");
            if (defaultRuntime is not null && defaultRuntime != "claude-code")
                Report(defaultDetail.StartsWith("available", StringComparison.Ordinal), $"the server's default runtime '{defaultRuntime}': {(defaultDetail.Length == 0 ? "unknown" : defaultDetail)}");
        }
        else
        {
            var found = ExecutableResolver.Find(claudePath);
            var version = found is null ? null : await VersionAsync(found, cancellationToken);
            Report(found is not null, found is null
                ? $"claude CLI '{claudePath}' is not on PATH (npm install -g @anthropic-ai/claude-code)"
                : $"claude CLI found at {found}{(version is null ? "" : $" ({version})")}");
        }

        if (health is { } hr && hr.TryGetProperty("runtimes", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            // Every other runtime the server has, with its readiness (key, endpoint, model for the
            // API runtimes). Only the default's is a failure (above): the others are choices.
            var defaultName = hr.TryGetProperty("defaultRuntime", out var dn) ? dn.GetString() : null;
            foreach (var runtime in all.EnumerateObject().Where(r => r.Name != "claude-code" && r.Name != defaultName))
            {
                var detail = runtime.Value.GetString() ?? "";
                output.WriteLine(detail.StartsWith("available", StringComparison.Ordinal)
                    ? $"ok   the server's runtime '{runtime.Name}': {detail}"
                    : $"note the server's runtime '{runtime.Name}' is {detail}");
            }
        }

        if (health is { } hs && hs.TryGetProperty("sandbox", out var sandbox) && sandbox.ValueKind == JsonValueKind.Object)
        {
            var mode = sandbox.GetProperty("mode").GetString();
            var detail = sandbox.GetProperty("detail").GetString();
            if (mode == "off")
                // A deliberate choice, so not a failure; but nobody should miss it.
                output.WriteLine($"WARN the sandbox is off (Sandbox:Mode): agents run unsandboxed, as the server's user");
            else if (!sandbox.GetProperty("working").GetBoolean() && hs.TryGetProperty("defaultRuntime", out var d) && d.GetString() == "scripted")
                // The scripted default runs no process, so a demo-only setup needs no sandbox.
                output.WriteLine($"WARN the sandbox cannot run here: {detail}; agent sessions (claude-code) will not start (install bubblewrap, or set Sandbox:Mode to off); the scripted default needs none");
            else
                Report(sandbox.GetProperty("working").GetBoolean(), sandbox.GetProperty("working").GetBoolean()
                    ? $"the sandbox is up: {detail}; limits: {sandbox.GetProperty("limits").GetString()}"
                    : $"the sandbox cannot run here: {detail}; sessions will not start (install bubblewrap, or set Sandbox:Mode to off)");
        }

        output.WriteLine(failures == 0 ? "All checks passed." : $"{failures} check(s) failed.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>The first line of <c>claude --version</c>, or null when it does not answer in time.</summary>
    private static async Task<string?> VersionAsync(string executable, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--version");
        try
        {
            using var process = Process.Start(start);
            if (process is null)
                return null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
            return line?.Trim();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or OperationCanceledException)
        {
            return null;
        }
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
