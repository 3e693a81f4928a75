using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>The safety gate deciding the real CLI's tool calls.</summary>
public sealed class SafetyGateTests
{
    private static async Task<JsonElement> PendingApprovalAsync(OverseerHarness o, string sessionId) =>
        (await Poll.UntilAsync(
            async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/approvals?status=pending&sessionId={sessionId}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30), "a pending approval"))[0];

    [Fact]
    public async Task BlackCommand_IsDeniedWithNoHuman_AndTheAgentReceivesTheReason()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("echo ok && rm -rf /"));
        var id = await o.StartSessionAsync("clean up");
        await o.WaitForStatusAsync(id, SessionStatus.Idle);

        var decided = (await o.Client.GetEventsAsync(id)).Single(e => e.Type == EventTypes.ToolDecided).Data;
        decided.GetProperty("decision").GetString().ShouldBe("deny");
        decided.GetProperty("tier").GetString().ShouldBe("BLACK");
        (await o.Client.GetStringAsync($"/api/approvals?sessionId={id}")).ShouldContain("\"items\":[]");
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("BLACK");
    }

    [Fact]
    public async Task TouchInsideTheProject_Runs()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("touch notes.txt"));
        var id = await o.StartSessionAsync("make notes");
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        File.Exists(Path.Combine(o.ProjectDir, "notes.txt")).ShouldBeTrue();
        var decided = (await o.Client.GetEventsAsync(id)).Single(e => e.Type == EventTypes.ToolDecided).Data;
        decided.GetProperty("tier").GetString().ShouldBe("YELLOW");
    }

    [Fact]
    public async Task Curl_WaitsForApproval_AndProceedsOnceApproved()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("curl -s http://127.0.0.1:9/ > fetched.txt; touch after-curl.txt"));
        var id = await o.StartSessionAsync("fetch it");
        var approval = await PendingApprovalAsync(o, id);
        approval.GetProperty("tier").GetString().ShouldBe("ORANGE");
        (await o.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);
        File.Exists(Path.Combine(o.ProjectDir, "after-curl.txt")).ShouldBeFalse("nothing runs before the decision");

        (await o.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        File.Exists(Path.Combine(o.ProjectDir, "after-curl.txt")).ShouldBeTrue();
    }

    [Fact]
    public async Task Denial_ReachesTheAgentWithItsReason()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("curl -s https://example.com"));
        var id = await o.StartSessionAsync("fetch it");
        var approval = await PendingApprovalAsync(o, id);
        (await o.Client.PostJsonAsync($"/api/approvals/{approval.GetProperty("id").GetString()}/deny", "{\"reason\": \"use the local mirror\"}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("use the local mirror");
    }

    [Fact]
    public async Task RedApproval_WithAWrongPhrase_IsRefused()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("git reset --hard HEAD~3"));
        var id = await o.StartSessionAsync("undo it");
        var approval = await PendingApprovalAsync(o, id);
        approval.GetProperty("tier").GetString().ShouldBe("RED");
        var approvalId = approval.GetProperty("id").GetString();

        using var refused = await o.Client.PostJsonAsync($"/api/approvals/{approvalId}/approve", "{\"confirm\": \"sure\"}");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.ProblemAsync()).GetProperty("code").GetString().ShouldBe("CONFIRMATION_REQUIRED");
        (await o.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);

        (await o.Client.PostJsonAsync($"/api/approvals/{approvalId}/deny", "{}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
    }

    [Fact]
    public async Task UndecidedApproval_TimesOutAsADenial()
    {
        await using var o = await OverseerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Sessions:ApprovalTimeout"] = "00:00:02" });
        o.Api.Enqueue(MockReply.Bash("curl -s https://example.com"));
        var id = await o.StartSessionAsync("fetch it");
        var approval = await PendingApprovalAsync(o, id);
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var decided = JsonDocument.Parse(await o.Client.GetStringAsync($"/api/approvals/{approval.GetProperty("id").GetString()}")).RootElement;
        decided.GetProperty("how").GetString().ShouldBe("timeout");
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("Not decided within");
    }
}
