using System.Text.Json;
using System.Text.Json.Nodes;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Tests.Mcp;

/// <summary>
/// The real Claude Code CLI (pinned, against the TestKit's mock Messages API) with Overseer's
/// <c>/mcp</c> as its MCP server, as someone would add it with <c>claude mcp add --transport http</c>:
/// the scripted model lists sessions, starts a scripted session, reads its events and approves its
/// pending call — each a real call of the CLI to /mcp with the operator's token.
/// </summary>
public sealed class ClaudeCodeMcpClientTests(McpFixture fixture) : IClassFixture<McpFixture>, IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private MockAnthropicServer _api = null!;

    public async Task InitializeAsync() => _api = await MockAnthropicServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>The content of the tool_result the CLI sent back for the tool call <paramref name="toolUseId"/>.</summary>
    private string ToolResult(string toolUseId) =>
        _api.ConversationRequests.SelectMany(r => r.Messages.OfType<JsonObject>())
            .SelectMany(m => m["content"] is JsonArray blocks ? blocks.OfType<JsonObject>() : [])
            .Where(b => b["type"]?.GetValue<string>() == "tool_result" && b["tool_use_id"]?.GetValue<string>() == toolUseId)
            .Select(b => b["content"] is JsonArray parts ? string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>())) : b["content"]?.ToString() ?? "")
            .First();

    [Fact]
    public async Task ClaudeCli_WithOverseerMcp_ListsStartsReadsAndApproves()
    {
        var config = new JsonObject
        {
            ["mcpServers"] = new JsonObject
            {
                ["overseer"] = new JsonObject
                {
                    ["type"] = "http",
                    ["url"] = fixture.Endpoint.ToString(),
                    ["headers"] = new JsonObject { ["Authorization"] = "Bearer " + fixture.OperatorToken },
                },
            },
        };
        var home = _temp.Create("home");
        var work = _temp.Create("work");
        var environment = ClaudeCli.Environment(_api.BaseUrl, home);
        environment["MCP_CONNECTION_NONBLOCKING"] = "false";
        await using var claude = ClaudeProcess.Start(ClaudeCli.RequireExecutablePath(), work, environment,
            ["--mcp-config", config.ToJsonString(), "--strict-mcp-config", "--allowedTools", "mcp__overseer"]);

        // The CLI connects to its MCP servers while it starts: turns go by until the model is offered Overseer's tools.
        for (var attempt = 0; ; attempt++)
        {
            _api.Enqueue(MockReply.Text("Ready."));
            await claude.SendUserMessageAsync("Are you connected?");
            await claude.ReadTurnAsync(TimeSpan.FromSeconds(90));
            if (_api.ConversationRequests.Last().BodyText.Contains("mcp__overseer__list_sessions", StringComparison.Ordinal))
                break;
            attempt.ShouldBeLessThan(20, "the CLI never offered Overseer's MCP tools: " + claude.Stderr);
        }

        // Turn 1: list the sessions, start the scripted demo.
        _api.Enqueue(MockReply.ToolUse("mcp__overseer__list_sessions", new { }, id: "toolu_list"));
        _api.Enqueue(MockReply.ToolUse("mcp__overseer__start_session", new { projectId = fixture.Project.Id, prompt = "demo from Claude", runtime = "scripted", title = "From the Claude app" }, id: "toolu_start"));
        _api.Enqueue(MockReply.Text("Started it."));
        await claude.SendUserMessageAsync("Start a demo session on my Overseer.");
        var turn = await claude.ReadTurnAsync(TimeSpan.FromSeconds(90));
        turn[^1]["is_error"]?.GetValue<bool>().ShouldNotBe(true, claude.Transcript);

        ToolResult("toolu_list").ShouldContain("\"items\"");
        var started = JsonDocument.Parse(ToolResult("toolu_start")).RootElement;
        var sessionId = started.GetProperty("id").GetString()!;
        started.GetProperty("title").GetString().ShouldBe("From the Claude app");
        started.GetProperty("startedBy").GetProperty("name").GetString().ShouldBe("olga");

        // The demo stops at the gate; the next turn reads the events and approves the call.
        var approval = JsonDocument.Parse(await Poll.UntilAsync(
            () => fixture.Server.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}"),
            body => body.Contains("\"id\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the demo's approval")).RootElement.GetProperty("items")[0];
        var approvalId = approval.GetProperty("id").GetString()!;
        _api.Enqueue(MockReply.ToolUse("mcp__overseer__read_events", new { sessionId }, id: "toolu_events"));
        _api.Enqueue(MockReply.ToolUse("mcp__overseer__approve", new { approvalId }, id: "toolu_approve"));
        _api.Enqueue(MockReply.Text("Approved."));
        await claude.SendUserMessageAsync("It needs me: approve it.");
        turn = await claude.ReadTurnAsync(TimeSpan.FromSeconds(90));
        turn[^1]["is_error"]?.GetValue<bool>().ShouldNotBe(true, claude.Transcript);

        ToolResult("toolu_events").ShouldContain(EventTypes.ApprovalRequested);
        JsonDocument.Parse(ToolResult("toolu_approve")).RootElement.GetProperty("status").GetString().ShouldBe("approved");
        var decided = JsonDocument.Parse(await fixture.Server.Client.GetStringAsync($"/api/approvals/{approvalId}")).RootElement;
        decided.GetProperty("status").GetString().ShouldBe("approved");
        decided.GetProperty("decidedBy").GetString().ShouldBe("olga");
        // Approved, the demo goes on to its question.
        await Poll.UntilAsync(() => fixture.Server.Client.GetStringAsync($"/api/questions?status=pending&sessionId={sessionId}"),
            body => body.Contains("\"id\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the demo's question after the approval");
    }
}
