using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;
using Overseer.TestKit.OpenAI;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// One real Overseer server whose openai runtime talks to the TestKit's mock OpenAI-compatible
/// server (a local model server) and whose anthropic runtime talks to the mock Messages API, with
/// a router over both: <c>local</c> (openai, free) and <c>claude</c> (anthropic). Shared by the
/// tests of a class, each on its own project with both mocks reset.
/// </summary>
public class OpenAIFixture : IAsyncLifetime
{
    public const string Key = "sk-local-test-5d21a9";
    public const string LocalModel = "qwen2.5-coder:7b";

    /// <summary>Where readiness says the key comes from.</summary>
    public const string LocalKeySource = "Runtimes:OpenAI:ApiKey";

    private readonly TempDirectory _temp = new();

    public MockOpenAIServer Local { get; private set; } = null!;
    public MockAnthropicServer Claude { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;
    public HttpClient Client => Server.Client;
    public CapturingLoggerProvider Logs { get; } = new();
    public string DataDir => Path.Combine(_temp.Path, "data");
    public string ProjectsRoot => Path.Combine(_temp.Path, "projects");
    public string TempPath => _temp.Path;

    /// <summary>Where the openai runtime's endpoint is: the mock, unless a fixture says it is down.</summary>
    protected virtual string LocalUrl => Local.BaseUrl;

    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:DefaultRuntime"] = "openai",
        ["Sessions:MaxConcurrent"] = "100",
        ["Sessions:RateLimitBackoff"] = "00:00:01",
        ["Runtimes:OpenAI:BaseUrl"] = LocalUrl,
        ["Runtimes:OpenAI:ApiKey"] = Key,
        ["Runtimes:OpenAI:Model"] = LocalModel,
        ["Runtimes:OpenAI:ConnectTimeout"] = "00:00:02",
        ["Runtimes:OpenAI:Models:0:Name"] = LocalModel,
        ["Runtimes:OpenAI:Models:0:InputPerMTok"] = "0.2",
        ["Runtimes:OpenAI:Models:0:OutputPerMTok"] = "0.6",
        ["Runtimes:Anthropic:BaseUrl"] = Claude.BaseUrl.ToString(),
        ["Runtimes:Anthropic:ApiKey"] = "sk-ant-router-test",
        ["Runtimes:Router:Routes:local:Runtime"] = "openai",
        ["Runtimes:Router:Routes:local:Model"] = LocalModel,
        ["Runtimes:Router:Routes:claude:Runtime"] = "anthropic",
        ["Runtimes:Router:Routes:claude:Model"] = "claude-sonnet-4-5",
        ["Runtimes:Router:Default"] = "local",
        ["Runtimes:Router:Rules:0:Target"] = "claude",
        ["Runtimes:Router:Rules:0:NeedsTools"] = "true",
        ["Runtimes:Router:Rules:1:Target"] = "claude",
        ["Runtimes:Router:Rules:1:MinLength"] = "2000",
        ["Runtimes:Router:Fallback:0"] = "local",
        ["Runtimes:Router:Fallback:1"] = "claude",
    };

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsRoot);
        Local = await MockOpenAIServer.StartAsync();
        Claude = await MockAnthropicServer.StartAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings, Logs);
    }

    public async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings, Logs);
    }

    public void Reset()
    {
        Local.Reset();
        Claude.Reset();
    }

    public async Task<(string Dir, string Id)> NewProjectAsync()
    {
        var dir = _temp.Create(Path.Combine("projects", "p" + Guid.NewGuid().ToString("N")[..8]));
        return (dir, (await Client.CreateProjectAsync(dir)).Id);
    }

    public async Task<string> StartSessionAsync(string projectId, string prompt, string runtime = "openai", string? model = null)
    {
        using var response = await Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId, prompt, runtime, model }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    public async Task SendAsync(string sessionId, string text) =>
        (await Client.PostJsonAsync($"/api/sessions/{sessionId}/messages", JsonSerializer.Serialize(new { text }))).EnsureSuccessStatusCode();

    public Task<SessionDto> WaitForStatusAsync(string sessionId, SessionStatus status, int seconds = 30) =>
        Client.WaitForStatusAsync(sessionId, status, TimeSpan.FromSeconds(seconds));

    public Task<IReadOnlyList<EventEnvelope>> EventsAsync(string sessionId) => Client.GetEventsAsync(sessionId);

    public async Task<EventEnvelope> WaitForEventAsync(string sessionId, Func<EventEnvelope, bool> match, int seconds = 30)
    {
        var events = await Poll.UntilAsync(() => Client.GetEventsAsync(sessionId), e => e.Any(match), TimeSpan.FromSeconds(seconds), "an event");
        return events.First(match);
    }

    public async Task<JsonElement> PendingAsync(string kind, string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await Client.GetStringAsync($"/api/{kind}?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), $"pending {kind}"))[0];

    public async Task DecideAsync(JsonElement approval, bool approve, string body = "{}")
    {
        using var response = await Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/{(approve ? "approve" : "deny")}", body);
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<ToolResultData>> ToolResultsAsync(string sessionId) =>
        [.. (await EventsAsync(sessionId)).Where(e => e.Type == EventTypes.ToolResult).Select(e => e.Data.Deserialize(Contracts.OverseerJson.Default.ToolResultData)!)];

    /// <summary>A chat request's conversation as role:content lines (tool calls as <c>assistant:call:Name</c>, results as <c>tool:…</c>).</summary>
    public static List<string> Shape(RecordedChatRequest request) =>
        [.. request.Messages.OfType<JsonObject>().Select(m => (string)m["role"]! switch
        {
            "assistant" when m["tool_calls"] is JsonArray calls => "assistant:call:" + string.Join(",", calls.Select(c => (string)c!["function"]!["name"]!)),
            var role => $"{role}:{(string?)m["content"]}",
        })];

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Local.DisposeAsync();
        await Claude.DisposeAsync();
        _temp.Dispose();
    }
}
