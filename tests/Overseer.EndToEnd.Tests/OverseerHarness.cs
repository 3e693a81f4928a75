using System.Globalization;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// A real Overseer server whose claude-code runtime drives the real CLI against the mock API:
/// one test's world, with its own data directory, HOME and project. Disposing stops everything.
/// </summary>
internal sealed class OverseerHarness : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly Dictionary<string, string?> _settings;

    private OverseerHarness(TempDirectory root, MockAnthropicServer api, Dictionary<string, string?> settings)
    {
        _root = root;
        Api = api;
        _settings = settings;
        DataDir = Path.Combine(root.Path, "data");
        ProjectsRoot = root.Create("projects");
        ProjectDir = root.Create("projects/app");
    }

    public MockAnthropicServer Api { get; }
    public TestServer Server { get; private set; } = null!;
    public HttpClient Client => Server.Client;
    public string DataDir { get; }
    public string ProjectsRoot { get; }
    public string ProjectDir { get; }
    public string ProjectId { get; private set; } = "";

    /// <summary>Settings for <c>OVERSEER__…</c> environment variables, for a server run as a separate process.</summary>
    public IDictionary<string, string> ProcessEnvironment =>
        _settings.Where(s => s.Value is not null && s.Key != "Projects:AllowedRoots:0")
            .ToDictionary(s => "OVERSEER__" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

    public static async Task<OverseerHarness> StartAsync(int maxRetries = 1, IDictionary<string, string?>? settings = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var executable = ClaudeCli.RequireExecutablePath();
        var root = new TempDirectory();
        var api = await MockAnthropicServer.StartAsync();
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Sessions:DefaultRuntime"] = "claude-code",
            ["Runtimes:ClaudeCode:ExecutablePath"] = executable,
            ["Runtimes:ClaudeCode:StopGracePeriod"] = "00:00:03",
            ["Sessions:RateLimitBackoff"] = "00:00:01",
        };
        // Configuration keys ignore case, so NO_PROXY and no_proxy are one setting here.
        foreach (var (key, value) in ClaudeCli.Environment(api.BaseUrl, root.Create("home"), maxRetries))
            all["Runtimes:ClaudeCode:Environment:" + key.ToUpperInvariant()] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var harness = new OverseerHarness(root, api, all);
        harness.Server = await TestServer.StartAsync(harness.DataDir, harness.ProjectsRoot, all, logs);
        harness.ProjectId = (await harness.Client.CreateProjectAsync(harness.ProjectDir)).Id;
        return harness;
    }

    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, _settings);
    }

    public async Task<string> StartSessionAsync(string prompt)
    {
        using var response = await Client.PostJsonAsync("/api/sessions",
            System.Text.Json.JsonSerializer.Serialize(new { projectId = ProjectId, prompt, runtime = "claude-code" }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public Task<SessionDto> WaitForStatusAsync(string sessionId, SessionStatus status, int seconds = 30) =>
        Client.WaitForStatusAsync(sessionId, status, TimeSpan.FromSeconds(seconds));

    public async Task<EventEnvelope> WaitForEventAsync(string sessionId, Func<EventEnvelope, bool> match, int seconds = 30)
    {
        var events = await Poll.UntilAsync(() => Client.GetEventsAsync(sessionId), e => e.Any(match), TimeSpan.FromSeconds(seconds), "an event");
        return events.First(match);
    }

    /// <summary>The process id of the session's current claude process.</summary>
    public async Task<int> AgentPidAsync(string sessionId)
    {
        var started = (await Client.GetEventsAsync(sessionId)).Last(e => e.Type == EventTypes.AgentStarted);
        return started.Data.GetProperty("processId").GetInt32();
    }

    public static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat") &&
        !File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Api.DisposeAsync();
        _root.Dispose();
    }
}
