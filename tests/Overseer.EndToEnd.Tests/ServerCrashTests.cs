using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>What only a real server process shows: killed with -9, its agents must not outlive it.</summary>
public sealed class ServerCrashTests
{
    /// <summary>
    /// Sandboxed, an agent dies with the server (bubblewrap's --die-with-parent and its pid
    /// namespace); unsandboxed it outlives it until the next start reaps it by its mark.
    /// Either way nothing is left once the server is back, and the session resumes.
    /// </summary>
    [Theory]
    [InlineData("Bubblewrap")]
    [InlineData("Off")]
    public async Task ServerKilled_AgentsItLeftBehindAreGoneByTheNextStart_AndTheSessionResumes(string sandbox)
    {
        var executable = ClaudeCli.RequireExecutablePath();
        using var root = new TempDirectory();
        await using var api = await MockAnthropicServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OVERSEER__Runtimes__ClaudeCode__ExecutablePath"] = executable,
            ["OVERSEER__Sessions__DefaultRuntime"] = "claude-code",
            ["OVERSEER__Sandbox__Mode"] = sandbox,
        };
        foreach (var (key, value) in ClaudeCli.Environment(api.BaseUrl, root.Create("home"), maxRetries: 1))
            environment["OVERSEER__Runtimes__ClaudeCode__Environment__" + key.ToUpperInvariant()] = value;
        var data = Path.Combine(root.Path, "data");
        var projects = root.Create("projects");
        var projectDir = root.Create("projects/app");

        api.Enqueue(MockReply.Bash("sleep 60"));
        string sessionId;
        int agentPid;
        List<int> tools;
        await using (var first = await ServerProcess.StartAsync(data, projects, environment))
        {
            using var client = first.CreateClient();
            var project = await client.CreateProjectAsync(projectDir);
            using var created = await client.PostJsonAsync("/api/sessions", $"{{\"projectId\": \"{project.Id}\", \"prompt\": \"sleep\"}}");
            created.EnsureSuccessStatusCode();
            sessionId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            var events = await Poll.UntilAsync(() => client.GetEventsAsync(sessionId), e => e.Any(x => x.Type == EventTypes.ToolCall), TimeSpan.FromSeconds(30));
            agentPid = events.First(e => e.Type == EventTypes.AgentStarted).Data.GetProperty("processId").GetInt32();
            tools = await ProcessTable.WaitForDescendantAsync(agentPid, "sleep");
            await first.KillAsync();
        }
        if (sandbox == "Bubblewrap")
            // The sandbox ends with its parent: nothing waits for the next start.
            await Poll.UntilAsync(() => Task.FromResult(tools.Append(agentPid).Count(OverseerHarness.IsAlive)), n => n == 0, TimeSpan.FromSeconds(10), "the sandbox to die with the server");
        else
            // kill -9 gave the server no chance to stop its agent: it is still there.
            OverseerHarness.IsAlive(agentPid).ShouldBeTrue();

        await using var second = await ServerProcess.StartAsync(data, projects, environment);
        using var again = second.CreateClient();
        await Poll.UntilAsync(() => Task.FromResult(tools.Append(agentPid).Count(OverseerHarness.IsAlive)), n => n == 0, TimeSpan.FromSeconds(10), "the orphans to be gone");
        var session = await again.GetSessionAsync(sessionId);
        session.Status.ShouldBe(SessionStatus.Interrupted);

        (await again.PostJsonAsync($"/api/sessions/{sessionId}/messages", "{\"text\": \"are you back?\"}")).EnsureSuccessStatusCode();
        await again.WaitForStatusAsync(sessionId, SessionStatus.Idle, TimeSpan.FromSeconds(30));
        api.ConversationRequests[^1].BodyText.ShouldContain("are you back?");
    }
}
