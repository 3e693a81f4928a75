using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// One real Overseer server whose anthropic runtime talks to the TestKit's mock Messages API,
/// shared by the tests of a class (they run one after another, each on its own project and with
/// the mock reset). Commands run in the real sandbox (bubblewrap) where the machine has it.
/// </summary>
public class AnthropicFixture : IAsyncLifetime
{
    /// <summary>The API key the server is given: a test looks for it where it must never be.</summary>
    public const string Key = "sk-ant-test-9f3b1c7e2d";

    /// <summary>A model with a small context window, for compaction.</summary>
    public const string SmallModel = "claude-small-window";

    private readonly TempDirectory _temp = new();

    public MockAnthropicServer Api { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;
    public HttpClient Client => Server.Client;
    public CapturingLoggerProvider Logs { get; } = new();
    public string DataDir => Path.Combine(_temp.Path, "data");
    public string ProjectsRoot => Path.Combine(_temp.Path, "projects");

    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>
            {
                ["Sessions:DefaultRuntime"] = "anthropic",
                ["Sessions:MaxConcurrent"] = "100",
                ["Sessions:RateLimitBackoff"] = "00:00:01",
                ["Runtimes:Anthropic:BaseUrl"] = Api.BaseUrl.ToString(),
                ["Runtimes:Anthropic:ApiKey"] = Key,
                ["Runtimes:Anthropic:ThinkingBudgetTokens"] = "2048",
                [$"Runtimes:Anthropic:ContextWindows:{SmallModel}"] = "6000",
                [$"Runtimes:Anthropic:Prices:{SmallModel}:InputPerMTok"] = "3",
                [$"Runtimes:Anthropic:Prices:{SmallModel}:OutputPerMTok"] = "15",
            };
            foreach (var (key, value) in ExtraSettings)
                settings[key] = value;
            return settings;
        }
    }

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsRoot);
        Api = await MockAnthropicServer.StartAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings, Logs);
    }

    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings, Logs);
    }

    /// <summary>A fresh project directory, registered with the server.</summary>
    public async Task<(string Dir, string Id)> NewProjectAsync()
    {
        var dir = _temp.Create(Path.Combine("projects", "p" + Guid.NewGuid().ToString("N")[..8]));
        return (dir, (await Client.CreateProjectAsync(dir)).Id);
    }

    public async Task<string> StartSessionAsync(string projectId, string prompt, string? model = null)
    {
        using var response = await Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId, prompt, runtime = "anthropic", model }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public Task<SessionDto> WaitForStatusAsync(string sessionId, SessionStatus status, int seconds = 30) =>
        Client.WaitForStatusAsync(sessionId, status, TimeSpan.FromSeconds(seconds));

    public Task<IReadOnlyList<EventEnvelope>> EventsAsync(string sessionId) => Client.GetEventsAsync(sessionId);

    public async Task<EventEnvelope> WaitForEventAsync(string sessionId, Func<EventEnvelope, bool> match, int seconds = 30)
    {
        var events = await Poll.UntilAsync(() => Client.GetEventsAsync(sessionId), e => e.Any(match), TimeSpan.FromSeconds(seconds), "an event");
        return events.First(match);
    }

    /// <summary>The one approval the session waits on.</summary>
    public async Task<JsonElement> PendingApprovalAsync(string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending approval"))[0];

    public async Task DecideAsync(JsonElement approval, bool approve, string body = "{}")
    {
        using var response = await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/{(approve ? "approve" : "deny")}", body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The tool results of a session, in order.</summary>
    public async Task<IReadOnlyList<ToolResultData>> ToolResultsAsync(string sessionId) =>
        [.. (await EventsAsync(sessionId)).Where(e => e.Type == EventTypes.ToolResult).Select(e => e.Data.Deserialize(Contracts.OverseerJson.Default.ToolResultData)!)];

    /// <summary>The content blocks of every message the model was last sent, flattened.</summary>
    public static IEnumerable<JsonObject> Blocks(RecordedRequest request) =>
        request.Messages.OfType<JsonObject>().SelectMany(m => m["content"] is JsonArray blocks ? blocks.OfType<JsonObject>() : [new JsonObject { ["type"] = "text", ["text"] = m["content"]?.GetValue<string>() }]);

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Api.DisposeAsync();
        _temp.Dispose();
    }
}
