using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Runtimes.Tests;

/// <summary>
/// A real MCP server from npm attached to a project: the anthropic runtime (the C# MCP client) and the
/// claude-code runtime (the CLI's --mcp-config) each call its tools through Overseer's gate — held
/// ORANGE by default and run once approved, told "denied" when denied, GREEN where the policy says
/// so — with a vault secret in the server's environment that no stored event shows.
/// </summary>
public sealed class McpToolsTests(McpToolsFixture fixture) : IClassFixture<McpToolsFixture>
{
    private const string GetEnv = "mcp__everything__get-env";
    private const string Echo = "mcp__everything__echo";

    /// <summary>The one approval the session waits on; the CLI's first start of the MCP server in its sandbox takes a while on a busy machine.</summary>
    private async Task<JsonElement> PendingApprovalAsync(string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await fixture.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(90), "a pending approval"))[0];

    private async Task<string> StartAsync(string projectId, string runtime)
    {
        using var response = await fixture.Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId, prompt = "use the everything server", runtime }));
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("claude-code")]
    public async Task McpTool_HeldOrangeThenApproved_RunsWithTheVaultSecret_RedactedFromEvents(string runtime)
    {
        fixture.Api.Reset();
        var (_, projectId) = await fixture.GrantedProjectAsync();
        fixture.Api.Enqueue(MockReply.ToolUse(GetEnv, new { }));
        fixture.Api.Enqueue(MockReply.Text("I read the environment."));
        var sessionId = await StartAsync(projectId, runtime);

        var approval = await PendingApprovalAsync(sessionId);
        approval.GetProperty("tool").GetString().ShouldBe(GetEnv);
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        await fixture.DecideAsync(approval, approve: true);
        await fixture.WaitForStatusAsync(sessionId, SessionStatus.Idle, seconds: 60);

        var events = await fixture.EventsAsync(sessionId);
        var call = events.Single(e => e.Type == EventTypes.ToolCall && e.Data.GetProperty("name").GetString() == GetEnv);
        var result = (await fixture.ToolResultsAsync(sessionId)).Single(r => r.ToolUseId == call.Data.GetProperty("toolUseId").GetString());
        result.IsError.ShouldBeFalse(result.Output);
        // The server was started with the secret in its environment, and the stored result says so only by name.
        result.Output.ShouldContain("EVERYTHING_TOKEN");
        result.Output.ShouldContain($"«secret:{McpToolsFixture.SecretName}»");
        (await fixture.Client.GetStringAsync($"/api/sessions/{sessionId}/events?limit=10000")).ShouldNotContain(McpToolsFixture.SecretValue);
        // The model itself was given the tool's real output.
        fixture.Api.ConversationRequests.Last().BodyText.ShouldContain(McpToolsFixture.SecretValue);
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("claude-code")]
    public async Task McpTool_Denied_TheModelIsToldAndNothingRuns(string runtime)
    {
        fixture.Api.Reset();
        var (_, projectId) = await fixture.GrantedProjectAsync();
        fixture.Api.Enqueue(MockReply.ToolUse(GetEnv, new { }));
        fixture.Api.Enqueue(MockReply.Text("Understood."));
        var sessionId = await StartAsync(projectId, runtime);

        var approval = await PendingApprovalAsync(sessionId);
        await fixture.DecideAsync(approval, approve: false, "{\"reason\": \"no environment dumps\"}");
        await fixture.WaitForStatusAsync(sessionId, SessionStatus.Idle, seconds: 60);

        var result = (await fixture.ToolResultsAsync(sessionId)).Single();
        result.IsError.ShouldBeTrue();
        result.Output.ShouldContain("no environment dumps");
        result.Output.ShouldNotContain("EVERYTHING_TOKEN");
        fixture.Api.ConversationRequests.Last().BodyText.ShouldContain("no environment dumps");
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("claude-code")]
    public async Task McpTool_MarkedGreenByPolicy_RunsWithoutAnApproval(string runtime)
    {
        fixture.Api.Reset();
        var (_, projectId) = await fixture.GrantedProjectAsync();
        fixture.Api.Enqueue(MockReply.ToolUse(Echo, new { message = "hello from the gate" }));
        fixture.Api.Enqueue(MockReply.Text("Echoed."));
        var sessionId = await StartAsync(projectId, runtime);

        await fixture.WaitForStatusAsync(sessionId, SessionStatus.Idle, seconds: 60);
        var events = await fixture.EventsAsync(sessionId);
        events.ShouldNotContain(e => e.Type == EventTypes.ApprovalRequested);
        (await fixture.ToolResultsAsync(sessionId)).Single().Output.ShouldContain("Echo: hello from the gate", Case.Sensitive,
            string.Join("\n", events.Where(e => e.Type is EventTypes.AgentStarted or EventTypes.AgentRaw or EventTypes.AgentStderr or EventTypes.AgentError).Select(e => e.Data.GetRawText())));
    }
}
