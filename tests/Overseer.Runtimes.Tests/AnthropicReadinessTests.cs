using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// What the server says of the anthropic runtime's readiness (key, endpoint, model) in /health,
/// <c>overseer doctor</c> and <c>overseer runtimes</c>, and where its key may come from.
/// </summary>
public sealed class AnthropicReadinessTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private MockAnthropicServer _api = null!;

    public async Task InitializeAsync() => _api = await MockAnthropicServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>The project root of the server started last.</summary>
    private string _projects = "";

    private async Task<TestServer> StartAsync(Dictionary<string, string?> settings)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var projects = _projects = _temp.Create("projects-" + name);
        settings.TryAdd("Runtimes:Anthropic:BaseUrl", _api.BaseUrl.ToString());
        settings["Runtimes:Anthropic:ReadinessInterval"] = "00:00:01";
        return await TestServer.StartAsync(Path.Combine(_temp.Path, "data-" + name), projects, settings);
    }

    private static Task<string> AnthropicHealthAsync(TestServer server, string expected) =>
        Poll.UntilAsync(async () => JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement.GetProperty("runtimes").GetProperty("anthropic").GetString()!,
            detail => detail.Contains(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(20), $"/health to say '{expected}'");

    [Fact]
    public async Task KeyEndpointAndModel_AllThere_IsAvailable_AndDoctorAndTheCliSaySo()
    {
        await using var server = await StartAsync(new() { ["Runtimes:Anthropic:ApiKey"] = "sk-ready" });
        var detail = await AnthropicHealthAsync(server, "available: key");
        detail.ShouldBe($"available: key from Runtimes:Anthropic:ApiKey; {_api.BaseUrl} answers; model claude-sonnet-4-5 is listed");
        _api.Requests.ShouldContain(r => r.Path == "/v1/models" && r.Headers["Authorization"] == "Bearer sk-ready");

        var cli = new CliEnvironment(_temp.Create("home-" + Guid.NewGuid().ToString("N")[..6]));
        (await cli.RunAsync("login", server.Address.ToString(), "--token", server.Token)).ExitCode.ShouldBe(0);
        var runtimes = await cli.RunAsync("runtimes");
        runtimes.ExitCode.ShouldBe(0, runtimes.ToString());
        runtimes.Stdout.ShouldMatch(@"anthropic\s+ready\s+key from Runtimes:Anthropic:ApiKey");
        runtimes.Stdout.ShouldMatch(@"scripted \(default\)\s+ready");
        runtimes.Stdout.ShouldContain("claude-code");

        var doctor = await cli.RunAsync("doctor", "--url", server.Address.ToString(), "--token", server.Token);
        doctor.Stdout.ShouldContain($"ok   the server's runtime 'anthropic': available: key from Runtimes:Anthropic:ApiKey; {_api.BaseUrl} answers; model claude-sonnet-4-5 is listed");
    }

    [Fact]
    public async Task NoKey_IsUnavailable_AndASessionFailsSayingWhereTheKeyGoes()
    {
        await using var server = await StartAsync([]);
        var detail = await AnthropicHealthAsync(server, "no API key");
        detail.ShouldBe("unavailable: no API key: set Runtimes:Anthropic:ApiKey or the vault secret ANTHROPIC_API_KEY");
        var project = await server.Client.CreateProjectAsync(Directory.CreateDirectory(Path.Combine(_projects, "app")).FullName);
        using var response = await server.Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = project.Id, prompt = "hi", runtime = "anthropic" }));
        response.EnsureSuccessStatusCode();
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var failed = await server.Client.WaitForStatusAsync(id, SessionStatus.Failed);
        failed.Reason.ShouldNotBeNull().ShouldContain("No Anthropic API key: set Runtimes:Anthropic:ApiKey, or store it in the vault as ANTHROPIC_API_KEY.");
    }

    [Fact]
    public async Task KeyInTheVault_IsUsed_AndNeverReachesTheAgentsEnvironment()
    {
        await using var server = await StartAsync([]);
        await AnthropicHealthAsync(server, "no API key");
        (await server.Client.PutAsync("/api/secrets/ANTHROPIC_API_KEY", new StringContent("{\"value\": \"sk-from-vault-51\", \"projects\": []}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await AnthropicHealthAsync(server, "available: key from the vault secret ANTHROPIC_API_KEY")).ShouldEndWith("model claude-sonnet-4-5 is listed");

        _api.Reset();
        _api.Enqueue(MockReply.Bash("echo \"[$ANTHROPIC_API_KEY]\"", "show the key"));
        _api.Enqueue(MockReply.Text("Done."));
        var project = await server.Client.CreateProjectAsync(Directory.CreateDirectory(Path.Combine(_projects, "app")).FullName);
        using var response = await server.Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = project.Id, prompt = "show me the key", runtime = "anthropic" }));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await server.Client.WaitForStatusAsync(id, SessionStatus.Idle);
        _api.ConversationRequests[0].Headers["Authorization"].ShouldBe("Bearer sk-from-vault-51");
        var events = await server.Client.GetEventsAsync(id);
        events.Single(e => e.Type == EventTypes.ToolResult).Data.GetProperty("output").GetString().ShouldBe("[]");
        events.ShouldAllBe(e => !e.Data.GetRawText().Contains("sk-from-vault-51"));
    }

    [Fact]
    public async Task ModelNotListed_OrEndpointDown_IsUnavailable_WithTheReason()
    {
        await using (var unlisted = await StartAsync(new() { ["Runtimes:Anthropic:ApiKey"] = "sk-x", ["Runtimes:Anthropic:Model"] = "claude-imaginary-9" }))
        {
            (await AnthropicHealthAsync(unlisted, "does not list")).ShouldStartWith(
                $"unavailable: key from Runtimes:Anthropic:ApiKey; {_api.BaseUrl} answers, but does not list the model claude-imaginary-9 (it lists claude-sonnet-4-5, claude-opus-4-5, claude-haiku-4-5)");
        }
        await using var down = await StartAsync(new() { ["Runtimes:Anthropic:ApiKey"] = "sk-x", ["Runtimes:Anthropic:BaseUrl"] = "http://127.0.0.1:1" });
        (await AnthropicHealthAsync(down, "not reachable")).ShouldStartWith("unavailable: key from Runtimes:Anthropic:ApiKey; http://127.0.0.1:1 is not reachable");
    }

    [Fact]
    public async Task BadSettings_StopTheServerAtStartup_NamingTheSetting()
    {
        var failure = await Should.ThrowAsync<Exception>(() => StartAsync(new() { ["Runtimes:Anthropic:ThinkingBudgetTokens"] = "100" }));
        failure.ToString().ShouldContain("Runtimes:Anthropic:ThinkingBudgetTokens must be 0 (off), or at least 1024 and below MaxTokens");
        var openai = await Should.ThrowAsync<Exception>(() => StartAsync(new() { ["Runtimes:OpenAI:BaseUrl"] = "http://127.0.0.1:1/v1", ["Runtimes:OpenAI:ToolCalling"] = "sometimes" }));
        openai.ToString().ShouldContain("Runtimes:OpenAI:ToolCalling must be auto, on or off; it is 'sometimes'.");
        var router = await Should.ThrowAsync<Exception>(() => StartAsync(new() { ["Runtimes:Router:Routes:local:Runtime"] = "anthropic", ["Runtimes:Router:Fallback:0"] = "cloud" }));
        router.ToString().ShouldContain("Runtimes:Router:Fallback names no route: 'cloud'.");
    }

    [Fact]
    public async Task OpenAIAndRouter_NotConfigured_AreNotOffered()
    {
        await using var server = await StartAsync(new() { ["Runtimes:Anthropic:ApiKey"] = "sk-ready" });
        var runtimes = JsonDocument.Parse(await server.Client.GetStringAsync("/health")).RootElement.GetProperty("runtimes");
        runtimes.EnumerateObject().Select(r => r.Name).Order(StringComparer.Ordinal).ShouldBe(["anthropic", "claude-code", "scripted"]);
        var project = await server.Client.CreateProjectAsync(Directory.CreateDirectory(Path.Combine(_projects, "app")).FullName);
        using var response = await server.Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = project.Id, prompt = "hi", runtime = "openai" }));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("runtime 'openai' is not one of: anthropic, claude-code, scripted.");
    }
}
