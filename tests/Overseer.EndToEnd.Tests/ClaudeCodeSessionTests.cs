using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>Overseer driving the real Claude Code CLI against the mock Anthropic API, as a user would.</summary>
public sealed class ClaudeCodeSessionTests
{
    [Fact]
    public async Task Session_CreatesAFile_StreamsTheToolCallLive_AndEndsIdleWithUsage()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("touch made-by-agent.txt"));
        o.Api.Enqueue(MockReply.Text("Created the file."));
        await using var stream = await SseClient.ConnectAsync(o.Client, "/api/stream");

        var id = await o.StartSessionAsync("Please create made-by-agent.txt");
        var seen = await stream.ReadUntilAsync(m => m.Type == "session.idle" && m.Data.GetProperty("sessionId").GetString() == id, TimeSpan.FromSeconds(60));

        var types = seen.Where(m => m.Data.GetProperty("sessionId").GetString() == id).Select(m => m.Type).ToList();
        types.ShouldContain("agent.started");
        types.IndexOf("tool.call").ShouldBeLessThan(types.IndexOf("tool.decided"));
        types.IndexOf("tool.decided").ShouldBeLessThan(types.IndexOf("tool.result"));
        var call = seen.First(m => m.Type == "tool.call").Data.GetProperty("data");
        call.GetProperty("name").GetString().ShouldBe("Bash");
        call.GetProperty("input").GetProperty("command").GetString().ShouldBe("touch made-by-agent.txt");
        seen.First(m => m.Type == "tool.result").Data.GetProperty("data").GetProperty("isError").GetBoolean().ShouldBeFalse();
        seen.ShouldContain(m => m.Type == "agent.text" && m.Data.GetProperty("data").GetProperty("text").GetString() == "Created the file.");
        File.Exists(Path.Combine(o.ProjectDir, "made-by-agent.txt")).ShouldBeTrue();

        var session = await o.Client.GetSessionAsync(id);
        session.Status.ShouldBe(SessionStatus.Idle);
        session.Usage.InputTokens.ShouldBeGreaterThan(0);
        session.Usage.OutputTokens.ShouldBeGreaterThan(0);
        session.Usage.CostUsd.ShouldBeGreaterThan(0m);
        session.AgentSessionId.ShouldNotBeNullOrEmpty();
        var stats = JsonDocument.Parse(await o.Client.GetStringAsync("/api/stats")).RootElement;
        stats.GetProperty("usage").GetProperty("costUsd").GetDecimal().ShouldBe(session.Usage.CostUsd);
    }

    [Fact]
    public async Task FollowUps_ReuseTheProcess_AndAfterARestartResumeTheSameConversation()
    {
        await using var o = await OverseerHarness.StartAsync();
        var id = await o.StartSessionAsync("first message");
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var firstPid = await o.AgentPidAsync(id);

        (await o.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"second message\"}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await o.Client.GetEventsAsync(id);
        events.Count(e => e.Type == EventTypes.AgentStarted).ShouldBe(1, "one process serves every turn");
        OverseerHarness.IsAlive(firstPid).ShouldBeTrue();
        var costAfterTwo = (await o.Client.GetSessionAsync(id)).Usage.CostUsd;

        await o.RestartAsync();
        OverseerHarness.IsAlive(firstPid).ShouldBeFalse("stopping the server stops its agents");
        (await o.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Idle);
        (await o.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"third message\"}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);

        events = await o.Client.GetEventsAsync(id);
        var restarted = events.Where(e => e.Type == EventTypes.AgentStarted).ToList();
        restarted.Count.ShouldBe(2);
        restarted[1].Data.GetProperty("resumed").GetBoolean().ShouldBeTrue();
        restarted[1].Data.GetProperty("agentSessionId").GetString().ShouldBe(restarted[0].Data.GetProperty("agentSessionId").GetString());
        var last = o.Api.ConversationRequests[^1].BodyText;
        last.ShouldContain("first message");
        last.ShouldContain("second message");
        last.ShouldContain("third message");
        (await o.Client.GetSessionAsync(id)).Usage.CostUsd.ShouldBeGreaterThan(costAfterTwo, "usage keeps adding up across processes");
    }

    [Fact]
    public async Task Interrupt_DuringALongToolRun_StopsTheTurnPromptly()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("sleep 30"));
        var id = await o.StartSessionAsync("wait a while");
        // The CLI runs commands it deems read-only, such as sleep, without asking.
        await o.WaitForEventAsync(id, e => e.Type == EventTypes.ToolCall);
        await ProcessTable.WaitForDescendantAsync(await o.AgentPidAsync(id), "sleep");

        (await o.Client.PostJsonAsync($"/api/sessions/{id}/interrupt", "{}")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var idle = await o.WaitForStatusAsync(id, SessionStatus.Idle, seconds: 5);
        idle.Reason.ShouldBe("interrupted");
        var result = (await o.Client.GetEventsAsync(id)).Last(e => e.Type == "agent.result");
        result.Data.GetProperty("subtype").GetString().ShouldBe("error_during_execution");

        // The conversation goes on after an interrupt.
        (await o.Client.PostJsonAsync($"/api/sessions/{id}/messages", "{\"text\": \"never mind\"}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
    }

    [Fact]
    public async Task KillingAnAgentByHand_FailsOnlyItsOwnSession()
    {
        await using var o = await OverseerHarness.StartAsync();
        var calm = await o.StartSessionAsync("just talk");
        await o.WaitForStatusAsync(calm, SessionStatus.Idle);
        o.Api.Enqueue(MockReply.Bash("sleep 30"));
        var doomed = await o.StartSessionAsync("work for a while");
        await o.WaitForEventAsync(doomed, e => e.Type == EventTypes.ToolCall);

        var pid = await o.AgentPidAsync(doomed);
        var tools = await ProcessTable.WaitForDescendantAsync(pid, "sleep");
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var failed = await o.WaitForStatusAsync(doomed, SessionStatus.Failed);
        await Poll.UntilAsync(() => Task.FromResult(tools.Count(OverseerHarness.IsAlive)), n => n == 0, TimeSpan.FromSeconds(10), "the dead agent's tools to be gone");
        failed.Reason.ShouldNotBeNull().ShouldContain("exited unexpectedly");
        (await o.Client.GetEventsAsync(doomed)).ShouldContain(e => e.Type == EventTypes.AgentExited);
        (await o.Client.GetSessionAsync(calm)).Status.ShouldBe(SessionStatus.Idle);
        (await o.Client.PostJsonAsync($"/api/sessions/{calm}/messages", "{\"text\": \"still there?\"}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(calm, SessionStatus.Idle);
    }

    [Fact]
    public async Task AskUserQuestion_IsAnsweredThroughTheApi_AndTheNextRequestCarriesTheAnswer()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.AskUserQuestion("Which pricing model?", ["Subscription", "Freemium"], header: "Pricing"));
        var id = await o.StartSessionAsync("ask me");
        var waiting = await o.WaitForStatusAsync(id, SessionStatus.Waiting);
        waiting.Pending.Questions.ShouldBe(1);
        var question = JsonDocument.Parse(await o.Client.GetStringAsync($"/api/questions?status=pending&sessionId={id}")).RootElement.GetProperty("items")[0];
        question.GetProperty("questions")[0].GetProperty("header").GetString().ShouldBe("Pricing");

        (await o.Client.PostJsonAsync($"/api/questions/{question.GetProperty("id").GetString()}/answer", "{\"answers\": {\"Which pricing model?\": \"Freemium\"}}"))
            .EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var next = o.Api.ConversationRequests[^1].BodyText;
        next.ShouldContain("Freemium");
        next.ShouldContain("Which pricing model?");
    }

    [Fact]
    public async Task ExitPlanMode_IsAPlanReview_ChangesAreSentBackAndApprovalLetsItGoOn()
    {
        await using var o = await OverseerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Runtimes:ClaudeCode:PermissionMode"] = "plan" });
        o.Api.Enqueue(MockReply.ExitPlanMode("1. Rewrite everything"));
        o.Api.Enqueue(MockReply.ExitPlanMode("1. Add tests first"));
        var id = await o.StartSessionAsync("plan it");

        var first = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/reviews?status=pending&sessionId={id}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30));
        first[0].GetProperty("plan").GetString().ShouldBe("1. Rewrite everything");
        (await o.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Waiting);
        (await o.Client.PostJsonAsync($"/api/reviews/{first[0].GetProperty("id").GetString()}/request-changes", "{\"feedback\": \"tests come first\"}"))
            .EnsureSuccessStatusCode();

        var second = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await o.Client.GetStringAsync($"/api/reviews?status=pending&sessionId={id}")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1, TimeSpan.FromSeconds(30));
        o.Api.ConversationRequests[^1].BodyText.ShouldContain("tests come first");
        (await o.Client.PostJsonAsync($"/api/reviews/{second[0].GetProperty("id").GetString()}/approve", "{}")).EnsureSuccessStatusCode();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
    }

    [Fact]
    public async Task RateLimited_WaitsAndThenContinuesByItself()
    {
        await using var o = await OverseerHarness.StartAsync(maxRetries: 0);
        o.Api.Enqueue(MockReply.Error(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"));
        var id = await o.StartSessionAsync("go");

        var limited = await o.WaitForStatusAsync(id, SessionStatus.RateLimited);
        limited.RateLimitedUntil.ShouldNotBeNull();
        await o.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await o.Client.GetEventsAsync(id);
        events.ShouldContain(e => e.Type == EventTypes.SessionRateLimited);
        events.ShouldContain(e => e.Type == EventTypes.SessionResumed && e.Data.GetProperty("from").GetString() == "rate_limited");
        events.Last(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString().ShouldBe("Continue where you left off.");
    }

    [Fact]
    public async Task ApiError_FailsTheTurnWithTheCliMessage()
    {
        await using var o = await OverseerHarness.StartAsync(maxRetries: 1);
        o.Api.Enqueue(MockReply.Error(500, "api_error", "Internal server error"), times: 2);
        var id = await o.StartSessionAsync("go");
        var failed = await o.WaitForStatusAsync(id, SessionStatus.Failed);
        failed.Reason.ShouldNotBeNull().ShouldContain("500");
        (await o.Client.GetEventsAsync(id)).ShouldContain(e => e.Type == EventTypes.AgentRetry);
    }

    [Fact]
    public async Task Cancel_StopsTheAgentAndEverythingItStarted()
    {
        await using var o = await OverseerHarness.StartAsync();
        o.Api.Enqueue(MockReply.Bash("sleep 60"));
        var id = await o.StartSessionAsync("sleep");
        await o.WaitForEventAsync(id, e => e.Type == EventTypes.ToolCall);
        var pid = await o.AgentPidAsync(id);
        // The CLI runs its Bash tool in a process group of its own.
        var tools = await ProcessTable.WaitForDescendantAsync(pid, "sleep");

        (await o.Client.PostJsonAsync($"/api/sessions/{id}/cancel", "{}")).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await o.Client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Cancelled);
        await Poll.UntilAsync(() => Task.FromResult(tools.Append(pid).Count(OverseerHarness.IsAlive)), n => n == 0, TimeSpan.FromSeconds(10), "the agent and its tools to be gone");
    }

    [Fact]
    public async Task SilentTurn_IsReportedStalledAndInterrupted()
    {
        await using var o = await OverseerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Runtimes:ClaudeCode:SilenceTimeout"] = "00:00:02" });
        o.Api.Enqueue(MockReply.Text("finally").WithDelay(TimeSpan.FromSeconds(20)));
        var id = await o.StartSessionAsync("take your time");
        var idle = await o.WaitForStatusAsync(id, SessionStatus.Idle, seconds: 20);
        idle.Reason.ShouldBe("interrupted");
        (await o.Client.GetEventsAsync(id)).ShouldContain(e => e.Type == "agent.stalled");
    }
}
