using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.Tests.WebSockets;

namespace Overseer.Tests.Permissions;

/// <summary>Two people in two projects each see only their own sessions: in every REST list, the streams and the WebSocket.</summary>
public sealed class VisibilityTests : WebSocketTest
{
    private sealed record Side(Person Person, HttpClient Client, ProjectDto Project, SessionDto Session);

    private async Task<(Side Alice, Side Bob)> TwoSidesAsync()
    {
        var a = await Client.CreateProjectAsync(NewProjectDir(), "alpha");
        var b = await Client.CreateProjectAsync(NewProjectDir(), "beta");
        var alice = await RoleWorld.AddPersonAsync(Server, "alice", Roles.Operator, (a.Id, Roles.Operator));
        var bob = await RoleWorld.AddPersonAsync(Server, "bob", Roles.Operator, (b.Id, Roles.Operator));
        var aliceClient = Server.CreateClient(alice.Token);
        var bobClient = Server.CreateClient(bob.Token);
        // Each waits on a question, so each also has an item in the inbox.
        var aliceSession = await aliceClient.CreateSessionAsync(a.Id, """[{"ask": {"question": "Apples?", "options": ["yes"]}}, {"say": "ok"}]""", prompt: "aardvark apples");
        var bobSession = await bobClient.CreateSessionAsync(b.Id, """[{"ask": {"question": "Bananas?", "options": ["yes"]}}, {"say": "ok"}]""", prompt: "aardvark bananas");
        await aliceClient.WaitForStatusAsync(aliceSession.Id, SessionStatus.Waiting);
        await bobClient.WaitForStatusAsync(bobSession.Id, SessionStatus.Waiting);
        return (new Side(alice, aliceClient, a, aliceSession), new Side(bob, bobClient, b, bobSession));
    }

    [Fact]
    public async Task EveryRestList_ShowsEachPersonOnlyTheirOwnProjectsSessions()
    {
        var (alice, bob) = await TwoSidesAsync();
        foreach (var (me, other) in new[] { (alice, bob), (bob, alice) })
        {
            var sessions = (await me.Client.GetFromJsonAsync("/api/sessions", OverseerJson.Default.ListResponseSessionDto))!.Items;
            sessions.ShouldHaveSingleItem().Id.ShouldBe(me.Session.Id);
            sessions[0].StartedBy.ShouldBe(new UserRefDto(me.Person.UserId, me.Person.Name));
            (await me.Client.GetFromJsonAsync($"/api/sessions?projectId={other.Project.Id}", OverseerJson.Default.ListResponseSessionDto))!.Items.ShouldBeEmpty();
            (await me.Client.GetFromJsonAsync("/api/projects", OverseerJson.Default.ListResponseProjectDto))!.Items.ShouldHaveSingleItem().Id.ShouldBe(me.Project.Id);
            var questions = (await me.Client.GetFromJsonAsync("/api/questions?status=pending", OverseerJson.Default.ListResponseQuestionDto))!.Items;
            questions.ShouldHaveSingleItem().SessionId.ShouldBe(me.Session.Id);
            (await me.Client.GetFromJsonAsync($"/api/questions?sessionId={other.Session.Id}", OverseerJson.Default.ListResponseQuestionDto))!.Items.ShouldBeEmpty();
            var search = (await me.Client.GetFromJsonAsync("/api/search?q=aardvark", OverseerJson.Default.SearchResponse))!;
            search.Items.ShouldHaveSingleItem().Session.Id.ShouldBe(me.Session.Id);
            var stats = (await me.Client.GetFromJsonAsync("/api/stats", OverseerJson.Default.StatsDto))!;
            stats.SessionsByStatus.Values.Sum().ShouldBe(1);
            var usage = (await me.Client.GetFromJsonAsync("/api/usage?groupBy=session", OverseerJson.Default.UsageReportDto))!;
            usage.Rows.Select(r => r.Key).ShouldBe([me.Session.Id]);

            // The other's session, its events and its items are "not found", exactly like ones that do not exist.
            foreach (var path in new[] { $"/api/sessions/{other.Session.Id}", $"/api/sessions/{other.Session.Id}/events", $"/api/projects/{other.Project.Id}" })
            {
                var hidden = await me.Client.GetAsync(path);
                hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            }
            var hiddenBody = await (await me.Client.GetAsync($"/api/sessions/{other.Session.Id}")).Content.ReadAsStringAsync();
            var missingBody = await (await me.Client.GetAsync("/api/sessions/s_doesnotexist0000")).Content.ReadAsStringAsync();
            WithoutTrace(hiddenBody.Replace(other.Session.Id, "ID", StringComparison.Ordinal)).ShouldBe(WithoutTrace(missingBody.Replace("s_doesnotexist0000", "ID", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task Stream_DeliversOnlyVisibleEvents_AndFollowsMembershipChangesLive()
    {
        var (alice, bob) = await TwoSidesAsync();
        await using var stream = await SseClient.ConnectAsync(alice.Client, "/api/stream?after=0");
        // Catch-up: everything of her session, nothing of Bob's.
        var history = await stream.ReadUntilAsync(m => SessionOf(m) == alice.Session.Id && m.Type == EventTypes.QuestionAsked);
        history.ShouldNotContain(m => SessionOf(m) == bob.Session.Id);
        history.ShouldNotContain(m => m.Data.GetRawText().Contains(bob.Project.Id, StringComparison.Ordinal));

        // Live: Bob's answer is not delivered; Alice's, which comes after it, is.
        await AnswerAsync(bob, "Bananas?");
        await AnswerAsync(alice, "Apples?");
        var live = await stream.ReadUntilAsync(m => m.Type == EventTypes.SessionIdle && SessionOf(m) == alice.Session.Id);
        live.ShouldContain(m => m.Type == EventTypes.QuestionAnswered);
        live.ShouldNotContain(m => SessionOf(m) != alice.Session.Id);

        // Alice leaves project alpha and joins beta, while the stream stays open: alpha's next
        // event is not delivered, beta's after it is.
        (await Client.DeleteAsync($"/api/projects/{alice.Project.Id}/members/{alice.Person.UserId}")).EnsureSuccessStatusCode();
        (await Client.PutAsJsonAsync($"/api/projects/{bob.Project.Id}/members/{alice.Person.UserId}", new PutMemberRequest(Roles.Viewer), OverseerJson.Default.PutMemberRequest)).EnsureSuccessStatusCode();
        await Client.WaitForStatusAsync(alice.Session.Id, SessionStatus.Idle);
        await Client.WaitForStatusAsync(bob.Session.Id, SessionStatus.Idle);
        (await Client.PostJsonAsync($"/api/sessions/{alice.Session.Id}/messages", """{"text": "alpha, unseen"}""")).EnsureSuccessStatusCode();
        (await Client.PostJsonAsync($"/api/sessions/{bob.Session.Id}/messages", """{"text": "beta, seen"}""")).EnsureSuccessStatusCode();
        var after = await stream.ReadUntilAsync(m => m.Type == EventTypes.UserMessage && SessionOf(m) == bob.Session.Id);
        after.ShouldNotContain(m => SessionOf(m) == alice.Session.Id);
    }

    [Fact]
    public async Task SessionStream_OfAnotherProjectsSession_IsNotFound()
    {
        var (alice, bob) = await TwoSidesAsync();
        var response = await alice.Client.GetAsync($"/api/sessions/{bob.Session.Id}/stream", HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ProblemAsync()).GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
    }

    [Fact]
    public async Task WebSocket_ListsJoinsAndDecisions_AreLimitedToOwnProjects()
    {
        var (alice, bob) = await TwoSidesAsync();
        var ws = await ConnectAsync(alice.Person.Token);
        var list = await ws.RequestAsync("project_list");
        list.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ShouldBe([alice.Project.Id]);

        foreach (var (type, fields) in new (string, object)[]
        {
            ("project_join", new { projectId = bob.Project.Id }),
            ("get_messages", new { projectId = bob.Project.Id }),
            ("execute", new { projectId = bob.Project.Id, prompt = "hi", runtime = "scripted" }),
            ("agent_kill", new { projectId = bob.Project.Id }),
        })
        {
            var reply = await ws.RequestAsync(type, fields);
            WsClient.IsError(reply, "PROJECT_NOT_FOUND").ShouldBeTrue($"{type}: {reply.GetRawText()}");
        }
        var bobsQuestion = JsonDocument.Parse(await bob.Client.GetStringAsync($"/api/questions?sessionId={bob.Session.Id}")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var answer = await ws.RequestAsync("answer", new { questionId = bobsQuestion, answers = new Dictionary<string, string> { ["Bananas?"] = "yes" } });
        WsClient.IsError(answer, "NOT_FOUND").ShouldBeTrue(answer.GetRawText());

        var joined = await ws.RequestAsync("project_join", new { projectId = alice.Project.Id, after = 0 });
        WsClient.Str(joined, "type").ShouldBe("project_joined");
        await ws.WaitForAsync(m => WsClient.IsAgentEvent(m, EventTypes.QuestionAsked), "her own question");

        // Removed from the project while joined: the feed ends with project_left instead of carrying on.
        (await Client.DeleteAsync($"/api/projects/{alice.Project.Id}/members/{alice.Person.UserId}")).EnsureSuccessStatusCode();
        await AnswerAsync(alice, "Apples?", Client);
        var untilLeft = await ws.ReadUntilAsync(m => WsClient.Str(m, "type") == "project_left", "project_left");
        untilLeft.ShouldNotContain(m => WsClient.IsAgentEvent(m, EventTypes.QuestionAnswered));
    }

    // Each response has its own trace id; everything else must be the same.
    private static string WithoutTrace(string problem) => System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "");

    private static string? SessionOf(SseMessage m) =>
        m.Data.TryGetProperty("sessionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    private static async Task AnswerAsync(Side side, string question, HttpClient? client = null)
    {
        client ??= side.Client;
        var id = JsonDocument.Parse(await client.GetStringAsync($"/api/questions?status=pending&sessionId={side.Session.Id}")).RootElement.GetProperty("items")[0].GetProperty("id").GetString();
        var body = JsonSerializer.Serialize(new { answers = new Dictionary<string, string> { [question] = "yes" } });
        (await client.PostJsonAsync($"/api/questions/{id}/answer", body)).EnsureSuccessStatusCode();
    }
}
