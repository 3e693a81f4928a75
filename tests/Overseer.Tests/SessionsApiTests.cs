using System.Net;
using System.Text.Json;
using Overseer.Contracts.Events;
using Overseer.TestKit;

namespace Overseer.Tests;

public sealed class SessionsApiTests : ServerTest
{
    private const string LongSleep = "[{\"say\": \"working\"}, {\"sleep\": 60000}, {\"say\": \"done\"}]";

    private async Task<string> ProjectAsync() => (await Client.CreateProjectAsync(NewProjectDir())).Id;

    private async Task<(HttpStatusCode Status, string? Code)> CommandAsync(string id, string command, string? body = null)
    {
        using var response = await Client.PostJsonAsync($"/api/sessions/{id}/{command}", body ?? "{}");
        if (response.IsSuccessStatusCode)
            return (response.StatusCode, null);
        return (response.StatusCode, (await response.ProblemAsync()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Create_ScriptedSession_RunsToIdleWithUsageAndEvents()
    {
        var projectId = await ProjectAsync();
        var created = await Client.CreateSessionAsync(projectId,
            "[{\"think\": \"hmm\"}, {\"say\": \"hello\"}, {\"tool\": {\"name\": \"Bash\", \"input\": {\"command\": \"ls\"}, \"output\": \"a b\"}}, {\"usage\": {\"inputTokens\": 100, \"outputTokens\": 20, \"costUsd\": 0.25}}]",
            prompt: "say hello");
        created.Id.ShouldStartWith("s_");
        created.ProjectId.ShouldBe(projectId);
        created.Runtime.ShouldBe("scripted");
        created.Prompt.ShouldBe("say hello");

        var idle = await Client.WaitForStatusAsync(created.Id, SessionStatus.Idle);
        idle.StartedAt.ShouldNotBeNull();
        idle.EndedAt.ShouldBeNull();
        idle.Usage.InputTokens.ShouldBe(100);
        idle.Usage.OutputTokens.ShouldBe(20);
        idle.Usage.CostUsd.ShouldBe(0.25m);

        var events = await Client.GetEventsAsync(created.Id);
        events.Select(e => e.Type).ShouldBe([
            "session.created", "session.queued", "session.starting", "session.started", "user.message", "agent.started",
            "agent.thinking", "agent.text", "tool.call", "tool.decided", "tool.result", "usage.updated", "session.idle"]);
        events.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
        events.Single(e => e.Type == "tool.call").Data.GetProperty("name").GetString().ShouldBe("Bash");
        events.Single(e => e.Type == "tool.result").Data.GetProperty("output").GetString().ShouldBe("a b");
    }

    [Fact]
    public async Task Get_Session_HasTheDocumentedShape()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(), "[{\"say\": \"x\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var json = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{session.Id}")).RootElement;
        foreach (var field in new[] { "id", "projectId", "prompt", "runtime", "status", "createdAt", "startedAt", "usage", "pending" })
            json.TryGetProperty(field, out _).ShouldBeTrue(field);
        json.GetProperty("status").GetString().ShouldBe("idle");
        json.GetProperty("usage").GetProperty("costUsd").GetDecimal().ShouldBe(0m);
        foreach (var field in new[] { "approvals", "questions", "dependencies", "reviews" })
            json.GetProperty("pending").GetProperty(field).GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task UnknownSession_EveryRoute_Answers404SessionNotFound()
    {
        foreach (var path in new[] { "/api/sessions/s_nope", "/api/sessions/s_nope/events" })
        {
            using var response = await Client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
        }
        foreach (var command in new[] { "interrupt", "pause", "resume", "cancel", "close", "hibernate" })
            (await CommandAsync("s_nope", command)).ShouldBe((HttpStatusCode.NotFound, "SESSION_NOT_FOUND"));
        (await CommandAsync("s_nope", "messages", "{\"text\": \"hi\"}")).ShouldBe((HttpStatusCode.NotFound, "SESSION_NOT_FOUND"));
    }

    [Fact]
    public async Task Hibernate_IdleSession_ShowsHibernatedAndTheNextMessageResumesTheAgent()
    {
        var projectId = await ProjectAsync();
        var running = await Client.CreateSessionAsync(projectId, LongSleep);
        var idle = await Client.CreateSessionAsync(projectId, "[{\"say\": \"first\"}]");
        await Client.WaitForStatusAsync(idle.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(running.Id, SessionStatus.Running);

        (await CommandAsync(idle.Id, "hibernate")).Status.ShouldBe(HttpStatusCode.Accepted);

        var json = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{idle.Id}")).RootElement;
        json.GetProperty("status").GetString().ShouldBe("idle");
        json.GetProperty("hibernated").GetBoolean().ShouldBeTrue();
        (await CommandAsync(running.Id, "hibernate")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(idle.Id, "messages", "{\"text\": \"wake\"}")).Status.ShouldBe(HttpStatusCode.Accepted);
        await Poll.UntilAsync(() => Client.GetEventsAsync(idle.Id), e => e.Count(x => x.Type == "session.idle") == 2);
        var events = await Client.GetEventsAsync(idle.Id);
        events.SkipWhile(e => e.Type != "agent.hibernated").ShouldContain(e => e.Type == "agent.started" && e.Data.GetProperty("resumed").GetBoolean());
        (await Client.GetSessionAsync(idle.Id)).Hibernated.ShouldBeFalse();
    }

    [Fact]
    public async Task Commands_FollowTheStateMachine_AndIllegalOnesAnswer409()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(), LongSleep);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Running);
        (await CommandAsync(session.Id, "messages", "{\"text\": \"too early\"}")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "resume")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "close")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));

        (await CommandAsync(session.Id, "pause")).Status.ShouldBe(HttpStatusCode.Accepted);
        (await Client.GetSessionAsync(session.Id)).Status.ShouldBe(SessionStatus.Paused);
        (await CommandAsync(session.Id, "pause")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "interrupt")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "resume")).Status.ShouldBe(HttpStatusCode.Accepted);
        (await Client.GetSessionAsync(session.Id)).Status.ShouldBe(SessionStatus.Running);

        (await CommandAsync(session.Id, "interrupt")).Status.ShouldBe(HttpStatusCode.Accepted);
        var idle = await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        idle.Reason.ShouldBe("interrupted");
        (await CommandAsync(session.Id, "interrupt")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "messages", "{\"text\": \"\"}")).ShouldBe((HttpStatusCode.BadRequest, "INVALID_FIELD"));

        (await CommandAsync(session.Id, "messages", "{\"text\": \"and now?\"}")).Status.ShouldBe(HttpStatusCode.Accepted);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var events = await Client.GetEventsAsync(session.Id);
        events.ShouldContain(e => e.Type == "user.message" && e.Data.GetProperty("text").GetString() == "and now?");
        events.ShouldContain(e => e.Type == "agent.text" && e.Data.GetProperty("text").GetString()!.Contains("and now?"));

        (await CommandAsync(session.Id, "close")).Status.ShouldBe(HttpStatusCode.Accepted);
        var closed = await Client.GetSessionAsync(session.Id);
        closed.Status.ShouldBe(SessionStatus.Completed);
        closed.EndedAt.ShouldNotBeNull();
        foreach (var command in new[] { "interrupt", "pause", "resume", "cancel", "close" })
            (await CommandAsync(session.Id, command)).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"), command);
    }

    [Fact]
    public async Task Cancel_RunningSession_EndsItAndStopsTheAgent()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(), LongSleep);
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Running);
        (await CommandAsync(session.Id, "cancel")).Status.ShouldBe(HttpStatusCode.Accepted);
        var cancelled = await Client.GetSessionAsync(session.Id);
        cancelled.Status.ShouldBe(SessionStatus.Cancelled);
        cancelled.EndedAt.ShouldNotBeNull();
        var count = (await Client.GetEventsAsync(session.Id)).Count;
        await Task.Delay(300);
        (await Client.GetEventsAsync(session.Id)).Count.ShouldBe(count, "a cancelled agent keeps quiet");
        (await CommandAsync(session.Id, "cancel")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
    }

    [Fact]
    public async Task FailStep_FailsTheSessionWithItsMessage()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(), "[{\"say\": \"trying\"}, {\"fail\": \"the build is broken\"}]");
        var failed = await Client.WaitForStatusAsync(session.Id, SessionStatus.Failed);
        failed.Reason.ShouldBe("the build is broken");
        var last = (await Client.GetEventsAsync(session.Id))[^1];
        last.Type.ShouldBe("session.failed");
        last.Data.GetProperty("error").GetString().ShouldBe("the build is broken");
        (await CommandAsync(session.Id, "messages", "{\"text\": \"retry\"}")).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        (await CommandAsync(session.Id, "close")).Status.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Ask_WaitsForAnAnswerThroughTheApi_AndTheAgentReceivesIt()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(),
            "[{\"ask\": {\"question\": \"Which color?\", \"options\": [\"red\", \"blue\"]}}, {\"ask\": {\"question\": \"Which pets?\", \"options\": [\"cat\", \"dog\"], \"multiSelect\": true}}]");
        var waiting = await Client.WaitForStatusAsync(session.Id, SessionStatus.Waiting);
        waiting.Pending.Questions.ShouldBe(1);
        var pending = JsonDocument.Parse(await Client.GetStringAsync("/api/questions?status=pending")).RootElement.GetProperty("items");
        pending.GetArrayLength().ShouldBe(1);
        var question = pending[0];
        question.GetProperty("sessionId").GetString().ShouldBe(session.Id);
        question.GetProperty("questions")[0].GetProperty("options")[1].GetProperty("label").GetString().ShouldBe("blue");
        var id = question.GetProperty("id").GetString();

        using (var wrong = await Client.PostJsonAsync($"/api/questions/{id}/answer", "{\"answers\": {\"Which colour?\": \"blue\"}}"))
        {
            wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await wrong.ProblemAsync()).GetProperty("code").GetString().ShouldBe("INVALID_ANSWER");
        }
        (await Client.PostJsonAsync($"/api/questions/{id}/answer", "{\"answers\": {\"Which color?\": \"blue\"}}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var again = await Client.PostJsonAsync($"/api/questions/{id}/answer", "{\"answers\": {\"Which color?\": \"red\"}}"))
            again.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var second = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await Client.GetStringAsync("/api/questions?status=pending")).RootElement.GetProperty("items"),
            items => items.GetArrayLength() == 1 && items[0].GetProperty("id").GetString() != id);
        (await Client.PostJsonAsync($"/api/questions/{second[0].GetProperty("id").GetString()}/answer", "{\"answers\": {\"Which pets?\": [\"cat\", \"dog\"]}}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var texts = (await Client.GetEventsAsync(session.Id)).Where(e => e.Type == "agent.text").Select(e => e.Data.GetProperty("text").GetString()).ToList();
        texts.ShouldBe(["You answered: blue", "You answered: cat, dog"]);
        (await Client.GetStringAsync("/api/questions?status=answered")).ShouldContain(session.Id);
        (await Client.PostJsonAsync("/api/questions/q_nope/answer", "{\"answers\": {\"a\": \"b\"}}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersByStatusAndProject_AndPages()
    {
        var p1 = await ProjectAsync();
        var p2 = await ProjectAsync();
        var a = await Client.CreateSessionAsync(p1, "[{\"say\": \"a\"}]");
        var b = await Client.CreateSessionAsync(p2, "[{\"say\": \"b\"}]");
        var c = await Client.CreateSessionAsync(p1, LongSleep);
        await Client.WaitForStatusAsync(a.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(b.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(c.Id, SessionStatus.Running);

        async Task<List<string>> IdsAsync(string query) =>
            JsonDocument.Parse(await Client.GetStringAsync("/api/sessions" + query)).RootElement.GetProperty("items")
                .EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();

        (await IdsAsync("")).ShouldBe([c.Id, b.Id, a.Id]);
        (await IdsAsync("?status=idle")).ShouldBe([b.Id, a.Id]);
        (await IdsAsync("?status=running,waiting")).ShouldBe([c.Id]);
        (await IdsAsync($"?projectId={p1}")).ShouldBe([c.Id, a.Id]);
        (await IdsAsync($"?projectId={p1}&status=idle")).ShouldBe([a.Id]);

        var page1 = JsonDocument.Parse(await Client.GetStringAsync("/api/sessions?limit=2")).RootElement;
        page1.GetProperty("items").GetArrayLength().ShouldBe(2);
        var next = page1.GetProperty("next").GetString();
        (await IdsAsync($"?limit=2&cursor={next}")).ShouldBe([a.Id]);
    }

    [Fact]
    public async Task Events_PageWithAfterAndLimit()
    {
        var session = await Client.CreateSessionAsync(await ProjectAsync(), "[{\"say\": \"1\"}, {\"say\": \"2\"}, {\"say\": \"3\"}]");
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);
        var all = await Client.GetEventsAsync(session.Id);
        var page = JsonDocument.Parse(await Client.GetStringAsync($"/api/sessions/{session.Id}/events?after={all[2].Seq}&limit=3")).RootElement;
        page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()).ShouldBe(all.Skip(3).Take(3).Select(e => e.Seq));
        page.GetProperty("next").GetString().ShouldBe(all[5].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
