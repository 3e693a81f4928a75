using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests.WebSockets;

public sealed class WebSocketProtocolTests : WebSocketTest
{
    [Fact]
    public async Task Execute_TwoClientsJoined_ReceiveIdenticalOrderedStreams()
    {
        var a = await ConnectAsync();
        var b = await ConnectAsync();
        var projectId = await CreateProjectAsync(a);
        foreach (var client in new[] { a, b })
        {
            var joined = await client.RequestAsync("project_join", new { projectId });
            WsClient.Str(joined, "type").ShouldBe("project_joined");
            joined.GetProperty("project").GetProperty("state").GetString().ShouldBe("IDLE");
        }

        var started = await ExecuteAsync(a, projectId, Says(30));
        WsClient.Str(started, "type").ShouldBe("execute_started", started.GetRawText());
        started.GetProperty("newSession").GetBoolean().ShouldBeTrue();
        var sessionId = WsClient.Str(started, "sessionId")!;

        var streams = new List<List<JsonElement>>();
        foreach (var client in new[] { a, b })
        {
            await client.WaitForAsync(m => IsState(m, "EXECUTING"), "EXECUTING");
            await client.WaitForAsync(m => IsState(m, "IDLE"), "IDLE after the turn");
            var all = client.Snapshot();
            streams.Add(all[(all.FindIndex(m => WsClient.Str(m, "type") == "project_joined") + 1)..]);
        }
        var stored = (await Client.GetEventsAsync(sessionId)).Select(e => e.Seq).ToList();
        Seqs(streams[0]).ShouldBe(stored);
        Seqs(streams[1]).ShouldBe(stored);
        foreach (var stream in streams)
        {
            var states = stream.Where(m => WsClient.Str(m, "type") == "project_state").Select(m => m.GetProperty("project").GetProperty("state").GetString()).ToList();
            states.ShouldBe(["EXECUTING", "IDLE"]);
            stream.Where(m => WsClient.Str(m, "type") == "agent_message").ShouldAllBe(m => WsClient.Str(m, "sessionId") == sessionId && WsClient.Str(m, "projectId") == projectId);
        }
    }

    [Fact]
    public async Task AgentMessage_Event_IsTheEnvelopeAsStored()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        var sessionId = WsClient.Str(await ExecuteAsync(client, projectId, "[{\"say\": \"hello\"}]"), "sessionId")!;
        var text = await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "agent.text"), "agent.text");
        var stored = (await Client.GetEventsAsync(sessionId)).Single(e => e.Type == "agent.text");
        text.GetProperty("event").GetRawText().ShouldBe(System.Text.Encoding.UTF8.GetString(stored.Utf8Json.Span));
    }

    [Fact]
    public async Task BadMessages_GetTheirErrorCodes_AndConnectionsKeepWorking()
    {
        var sender = await ConnectAsync();
        var other = await ConnectAsync();

        await sender.SendRawAsync("{\"type\": \"ping\", ");
        WsClient.Str(await sender.WaitForAsync(m => WsClient.Str(m, "type") == "error", "malformed JSON"), "code").ShouldBe("INVALID_MESSAGE");

        var missing = await sender.RequestAsync("project_join");
        WsClient.IsError(missing, "INVALID_MESSAGE").ShouldBeTrue(missing.GetRawText());
        WsClient.Str(missing, "field").ShouldBe("projectId");

        var mistyped = await sender.RequestAsync("get_messages", new { projectId = "p_x", after = "soon" });
        WsClient.IsError(mistyped, "INVALID_MESSAGE").ShouldBeTrue(mistyped.GetRawText());
        WsClient.Str(mistyped, "field").ShouldBe("after");

        var unknown = await sender.RequestAsync("launch_rockets");
        WsClient.IsError(unknown, "UNKNOWN_TYPE").ShouldBeTrue(unknown.GetRawText());
        WsClient.Str(unknown, "message")!.ShouldContain("launch_rockets");

        await sender.SendRawAsync("{\"id\": \"no-type\"}");
        var noType = await sender.WaitForAsync(m => WsClient.Str(m, "id") == "no-type", "the missing type");
        WsClient.Str(noType, "field").ShouldBe("type");

        WsClient.Str(await sender.RequestAsync("ping"), "type").ShouldBe("pong");
        WsClient.Str(await other.RequestAsync("ping"), "type").ShouldBe("pong");
    }

    [Fact]
    public async Task ProjectCreate_InvalidPath_IsInvalidPath()
    {
        var client = await ConnectAsync();
        var relative = await client.RequestAsync("project_create", new { path = "../etc" });
        WsClient.IsError(relative, "INVALID_PATH").ShouldBeTrue(relative.GetRawText());
        var outside = await client.RequestAsync("project_create", new { path = "/etc" });
        WsClient.IsError(outside, "INVALID_PATH").ShouldBeTrue(outside.GetRawText());
    }

    [Fact]
    public async Task ProjectCreate_IsBroadcast_AndListedAsIdle()
    {
        var creator = await ConnectAsync();
        var watcher = await ConnectAsync();
        var projectId = await CreateProjectAsync(creator);
        var broadcast = await watcher.WaitForAsync(m => WsClient.Str(m, "type") == "project_state", "the broadcast");
        broadcast.TryGetProperty("id", out _).ShouldBeFalse();
        broadcast.GetProperty("project").GetProperty("id").GetString().ShouldBe(projectId);

        var list = await watcher.RequestAsync("project_list");
        var listed = list.GetProperty("projects").EnumerateArray().Single(p => p.GetProperty("id").GetString() == projectId);
        listed.GetProperty("state").GetString().ShouldBe("IDLE");
        listed.TryGetProperty("sessionId", out _).ShouldBeFalse();

        var again = await creator.RequestAsync("project_create", new { path = listed.GetProperty("path").GetString() });
        WsClient.IsError(again, "PROJECT_EXISTS").ShouldBeTrue(again.GetRawText());
    }

    [Fact]
    public async Task ProjectList_State_ComesFromTheNewestOpenSession()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        var older = await Client.CreateSessionAsync(projectId, "[{\"say\": \"a\"}, {\"sleep\": 60000}]");
        await Client.WaitForStatusAsync(older.Id, SessionStatus.Running);
        var newer = await Client.CreateSessionAsync(projectId, "[{\"say\": \"b\"}]");
        await Client.WaitForStatusAsync(newer.Id, SessionStatus.Idle);

        async Task<JsonElement> ListedAsync() =>
            (await client.RequestAsync("project_list")).GetProperty("projects").EnumerateArray().Single(p => p.GetProperty("id").GetString() == projectId);
        var listed = await ListedAsync();
        (listed.GetProperty("state").GetString(), WsClient.Str(listed, "sessionId")).ShouldBe(("IDLE", newer.Id));

        (await Client.PostAsync($"/api/sessions/{newer.Id}/close", null)).EnsureSuccessStatusCode();
        listed = await ListedAsync();
        (listed.GetProperty("state").GetString(), WsClient.Str(listed, "sessionId")).ShouldBe(("EXECUTING", older.Id));
        WsClient.Str(listed, "sessionStatus").ShouldBe("running");
    }

    [Fact]
    public async Task Execute_UnknownProject_IsProjectNotFound()
    {
        var client = await ConnectAsync();
        var error = await client.RequestAsync("execute", new { projectId = "p_missing", prompt = "hi" });
        WsClient.IsError(error, "PROJECT_NOT_FOUND").ShouldBeTrue(error.GetRawText());
    }

    [Fact]
    public async Task Execute_WhileRunning_IsSessionBusy_ThenFollowUpGoesToTheSameSession()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        var first = await ExecuteAsync(client, projectId, "[{\"say\": \"working\"}, {\"sleep\": 3000}, {\"say\": \"done\"}]");
        var sessionId = WsClient.Str(first, "sessionId")!;
        await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "agent.text"), "the first text");

        var busy = await ExecuteAsync(client, projectId, "[{\"say\": \"x\"}]");
        WsClient.IsError(busy, "SESSION_BUSY").ShouldBeTrue(busy.GetRawText());
        WsClient.Str(busy, "sessionId").ShouldBe(sessionId);

        await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "session.idle"), "the end of the turn");
        var followUp = await client.RequestAsync("execute", new { projectId, prompt = "and now?" });
        WsClient.Str(followUp, "type").ShouldBe("execute_started", followUp.GetRawText());
        followUp.GetProperty("newSession").GetBoolean().ShouldBeFalse();
        WsClient.Str(followUp, "sessionId").ShouldBe(sessionId);
        var message = await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "user.message"), "the follow-up");
        message.GetProperty("event").GetProperty("data").GetProperty("text").GetString().ShouldBe("and now?");
    }

    [Fact]
    public async Task GetMessages_After_ReturnsExactlyTheLaterEvents()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        var sessionId = WsClient.Str(await ExecuteAsync(client, projectId, Says(10)), "sessionId")!;
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Idle);
        var stored = await Client.GetEventsAsync(sessionId);
        var cut = stored[4].Seq;

        var page = await client.RequestAsync("get_messages", new { projectId, after = cut });
        WsClient.Str(page, "type").ShouldBe("messages", page.GetRawText());
        page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ShouldBe(stored.Skip(5).Select(e => e.Seq));
        page.GetProperty("hasMore").GetBoolean().ShouldBeFalse();

        var limited = await client.RequestAsync("get_messages", new { projectId, after = cut, limit = 3 });
        limited.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ShouldBe(stored.Skip(5).Take(3).Select(e => e.Seq));
        limited.GetProperty("hasMore").GetBoolean().ShouldBeTrue();

        var future = await client.RequestAsync("get_messages", new { projectId, since = DateTimeOffset.UtcNow.AddHours(1) });
        future.GetProperty("events").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Join_WithAfter_ResumesWithoutGapOrDuplicate()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        var sessionId = WsClient.Str(await ExecuteAsync(client, projectId, Says(8)[..^1] + ", {\"fail\": \"boom\"}]"), "sessionId")!;
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Failed);
        var stored = await Client.GetEventsAsync(sessionId);

        var joined = await client.RequestAsync("project_join", new { projectId, after = stored[5].Seq });
        WsClient.Str(joined, "sessionId").ShouldBe(sessionId);
        joined.GetProperty("project").GetProperty("state").GetString().ShouldBe("ERROR");
        var replay = await client.ReadUntilAsync(m => WsClient.IsAgentEvent(m, "session.failed"), "the replay");
        Seqs(replay).ShouldBe(stored.Skip(6).Select(e => e.Seq));

        // After a failure, execute starts a new session, which reaches the joined client live.
        var second = await ExecuteAsync(client, projectId, "[{\"say\": \"again\"}]");
        second.GetProperty("newSession").GetBoolean().ShouldBeTrue();
        var secondId = WsClient.Str(second, "sessionId");
        secondId.ShouldNotBe(sessionId);
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Completed);
        var executing = await client.WaitForAsync(m => IsState(m, "EXECUTING"), "EXECUTING");
        WsClient.Str(executing.GetProperty("project"), "sessionId").ShouldBe(secondId);
        await client.WaitForAsync(m => IsState(m, "IDLE"), "IDLE");
        var all = client.Snapshot();
        Seqs(all.Where(m => WsClient.Str(m, "sessionId") == secondId)).ShouldBe((await Client.GetEventsAsync(secondId!)).Select(e => e.Seq));
        Seqs(all).ShouldBe(Seqs(all).Order().Distinct());
    }

    [Fact]
    public async Task Approve_PendingApproval_SessionContinues()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        var script = "[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"curl https://example.com\"}, \"output\": \"ran\"}}, {\"say\": \"after\"}]";
        await ExecuteAsync(client, projectId, script);
        var requested = await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "approval.requested"), "the approval");
        var approvalId = requested.GetProperty("event").GetProperty("data").GetProperty("approvalId").GetString();

        var missing = await client.RequestAsync("approve", new { approvalId = "a_missing" });
        WsClient.IsError(missing, "NOT_FOUND").ShouldBeTrue(missing.GetRawText());
        var ok = await client.RequestAsync("approve", new { approvalId });
        WsClient.Str(ok, "type").ShouldBe("ok", ok.GetRawText());
        var again = await client.RequestAsync("approve", new { approvalId });
        WsClient.IsError(again, "INVALID_STATE").ShouldBeTrue(again.GetRawText());

        var rest = await client.ReadUntilAsync(m => WsClient.IsAgentEvent(m, "session.idle"), "the end of the turn");
        var result = rest.Single(m => WsClient.IsAgentEvent(m, "tool.result"));
        result.GetProperty("event").GetProperty("data").GetProperty("isError").GetBoolean().ShouldBeFalse();
        rest.ShouldContain(m => WsClient.IsAgentEvent(m, "approval.decided") && m.GetProperty("event").GetProperty("actor").GetString() == "admin");
    }

    /// <summary>hibernate reaches the engine: offered only once the approval has waited Sessions:HibernateAfter (10 minutes here).</summary>
    [Fact]
    public async Task Deny_WithHibernateBeforeHibernateAfter_IsRefused_AndAPlainDenyGoesThrough()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        await ExecuteAsync(client, projectId, "[{\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"curl https://example.com\"}}}]");
        var requested = await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "approval.requested"), "the approval");
        var approvalId = requested.GetProperty("event").GetProperty("data").GetProperty("approvalId").GetString();

        var early = await client.RequestAsync("deny", new { approvalId, hibernate = true });
        WsClient.IsError(early, "INVALID_STATE").ShouldBeTrue(early.GetRawText());
        early.GetRawText().ShouldContain("offered once");
        var denied = await client.RequestAsync("deny", new { approvalId, reason = "not now" });
        WsClient.Str(denied, "type").ShouldBe("ok", denied.GetRawText());
    }

    [Fact]
    public async Task Answer_PendingQuestion_SessionContinues()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        await ExecuteAsync(client, projectId, "[{\"ask\": {\"question\": \"go?\"}}, {\"say\": \"after\"}]");
        var asked = await client.WaitForAsync(m => WsClient.IsAgentEvent(m, "question.asked"), "the question");
        var questionId = asked.GetProperty("event").GetProperty("data").GetProperty("questionId").GetString();

        var ok = await client.RequestAsync("answer", new { questionId, answers = new Dictionary<string, string> { ["go?"] = "yes" } });
        WsClient.Str(ok, "type").ShouldBe("ok", ok.GetRawText());
        var rest = await client.ReadUntilAsync(m => WsClient.IsAgentEvent(m, "session.idle"), "the end of the turn");
        rest.ShouldContain(m => WsClient.IsAgentEvent(m, "question.answered"));
        rest.ShouldContain(m => WsClient.IsAgentEvent(m, "agent.text") && m.GetProperty("event").GetProperty("data").GetProperty("text").GetString() == "after");
    }

    [Fact]
    public async Task AgentKill_CancelsTheSession_AndTheProjectCanBeDeleted()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        var sessionId = WsClient.Str(await ExecuteAsync(client, projectId, "[{\"say\": \"long\"}, {\"sleep\": 60000}]"), "sessionId")!;
        await Client.WaitForStatusAsync(sessionId, SessionStatus.Running);

        var inUse = await client.RequestAsync("project_delete", new { projectId });
        WsClient.IsError(inUse, "PROJECT_IN_USE").ShouldBeTrue(inUse.GetRawText());

        var killed = await client.RequestAsync("agent_kill", new { projectId });
        WsClient.Str(killed, "type").ShouldBe("project_state", killed.GetRawText());
        killed.GetProperty("project").GetProperty("state").GetString().ShouldBe("IDLE");
        (await Client.GetSessionAsync(sessionId)).Status.ShouldBe(SessionStatus.Cancelled);

        var deleted = await client.RequestAsync("project_delete", new { projectId });
        deleted.GetProperty("deleted").GetBoolean().ShouldBeTrue(deleted.GetRawText());
        var gone = await client.RequestAsync("project_join", new { projectId });
        WsClient.IsError(gone, "PROJECT_NOT_FOUND").ShouldBeTrue(gone.GetRawText());
    }

    [Fact]
    public async Task ServerShutdown_ClosesSocketsWithGoingAway()
    {
        var client = await ConnectAsync();
        var projectId = await CreateProjectAsync(client);
        await client.RequestAsync("project_join", new { projectId });
        var stopping = Server.StopAsync();
        (await client.ClosedAsync()).ShouldBe(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable);
        await stopping;
    }

    private static bool IsState(JsonElement message, string state) =>
        WsClient.Str(message, "type") == "project_state" && message.GetProperty("project").GetProperty("state").GetString() == state;
}
