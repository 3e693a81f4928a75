using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.Tests.Dashboard;

namespace Overseer.Tests;

/// <summary>Seed 003's tasks through the API: drafts, PATCH, start, DELETE, progress, and the errors that name their field.</summary>
public sealed class SessionTasksApiTests : ServerTest
{
    private const string LongSleep = """[{"say": "working on the wombat report"}, {"sleep": 60000}]""";

    private const string Phased = """
        [{"phase": {"name": "Design", "total": 2}}, {"progress": {"percent": 50, "text": "sketching"}},
         {"say": "=== PHASE 2 START: Build ===\n[STEP 3/4] almost\n"}, {"say": "done"}]
        """;

    private async Task<string> ProjectAsync() => (await Client.CreateProjectAsync(NewProjectDir())).Id;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null) => SendAsync(Client, method, path, json);

    private async Task<IReadOnlyList<string>> ListedAsync(string query = "")
    {
        var page = (await Client.GetFromJsonAsync("/api/sessions" + query, OverseerJson.Default.ListResponseSessionDto))!;
        return [.. page.Items.Select(s => s.Id)];
    }

    private static string Draft(string projectId, string script) => JsonSerializer.Serialize(new
    {
        projectId,
        prompt = "Write the wombat report\nwith charts",
        runtime = "scripted",
        script = JsonDocument.Parse(script).RootElement,
        description = "For the **board**.",
        type = "docs",
        draft = true,
    });

    [Fact]
    public async Task DraftEditStartDelete_ThroughTheApi_RunsTheEditedPromptAndTheEventsSayWho()
    {
        var projectId = await ProjectAsync();
        var otto = await TestUsers.AddAsync(Server, "otto", Roles.Operator, projectId);
        using var asOtto = Server.CreateClient(otto);

        var (created, draft) = await SendAsync(asOtto, HttpMethod.Post, "/api/sessions", Draft(projectId, Phased));
        created.ShouldBe(HttpStatusCode.Created, draft.ToString());
        var id = draft.GetProperty("id").GetString()!;
        (draft.GetProperty("status").GetString(), draft.GetProperty("title").GetString(), draft.GetProperty("type").GetString()).ShouldBe(("draft", "Write the wombat report", "docs"));
        (await ListedAsync("?status=draft")).ShouldBe([id]);
        (await ListedAsync("?type=docs")).ShouldBe([id]);
        (await ListedAsync("?type=bugfix")).ShouldBeEmpty();
        (await Client.GetEventsAsync(id)).Select(e => e.Type).ShouldBe(["session.created"], "a draft is stored, not queued");

        var (patched, edited) = await SendAsync(asOtto, HttpMethod.Patch, $"/api/sessions/{id}", """{"title": "Wombat report", "prompt": "Write the wombat report, briefly"}""");
        patched.ShouldBe(HttpStatusCode.OK, edited.ToString());
        (edited.GetProperty("title").GetString(), edited.GetProperty("prompt").GetString(), edited.GetProperty("status").GetString())
            .ShouldBe(("Wombat report", "Write the wombat report, briefly", "draft"));

        var (started, queued) = await SendAsync(asOtto, HttpMethod.Post, $"/api/sessions/{id}/start");
        started.ShouldBe(HttpStatusCode.Accepted, queued.ToString());
        await Client.WaitForStatusAsync(id, SessionStatus.Idle);

        var events = await Client.GetEventsAsync(id);
        var update = events.Single(e => e.Type == EventTypes.SessionUpdated);
        (update.Actor, update.Data.GetProperty("byUserId").GetString()).ShouldBe(("otto", "u_otto"));
        update.Data.GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ShouldBe(["title", "prompt"]);
        var start = events.Single(e => e.Type == EventTypes.SessionQueued);
        (start.Actor, start.Data.GetProperty("from").GetString(), start.Data.GetProperty("byUserId").GetString()).ShouldBe(("otto", "draft", "u_otto"));
        events.Single(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString().ShouldBe("Write the wombat report, briefly");
        events.Where(e => e.Type is EventTypes.PhaseStarted or EventTypes.StepUpdated).Select(e => e.Type).ShouldBe(["phase.started", "step.updated", "phase.started", "step.updated"]);
        var progress = (await Client.GetSessionAsync(id)).Progress.ShouldNotBeNull();
        (progress.Phase, progress.PhaseIndex, progress.Percent, progress.Step, progress.Steps, progress.Text).ShouldBe(("Build", 2, 75, 3, 4, "almost"));

        var (late, refused) = await SendAsync(asOtto, HttpMethod.Patch, $"/api/sessions/{id}", """{"prompt": "too late"}""");
        late.ShouldBe(HttpStatusCode.Conflict);
        (refused.GetProperty("code").GetString(), refused.GetProperty("field").GetString()).ShouldBe(("INVALID_STATE", "prompt"));
        refused.GetProperty("detail").GetString()!.ShouldContain("only while the session is a draft");
        (await SendAsync(asOtto, HttpMethod.Patch, $"/api/sessions/{id}", """{"type": "feature", "priority": 4}""")).Status.ShouldBe(HttpStatusCode.OK);

        (await SendAsync(asOtto, HttpMethod.Delete, $"/api/sessions/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);
        var (gone, problem) = await SendAsync(HttpMethod.Get, $"/api/sessions/{id}");
        (gone, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.NotFound, "SESSION_NOT_FOUND"));
        (await SendAsync(asOtto, HttpMethod.Delete, $"/api/sessions/{id}")).Status.ShouldBe(HttpStatusCode.NotFound, "deleting twice");
        (await SendAsync(HttpMethod.Post, $"/api/sessions/{id}/start")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await ListedAsync()).ShouldNotContain(id);
    }

    [Fact]
    public async Task Delete_RunningSession_CancelsItAndItLeavesListsBoardSearchAndCounts_ButItsEventsStayForAdmins()
    {
        var projectId = await ProjectAsync();
        var vera = await TestUsers.AddAsync(Server, "vera", Roles.Viewer, projectId);
        var id = (await Client.CreateSessionAsync(projectId, LongSleep, prompt: "Summarise the wombat census")).Id;
        await Client.WaitForStatusAsync(id, SessionStatus.Running);
        var (signedIn, _) = await DashboardClient.SignInAsync(Server.Address, Server.Token);
        using var board = signedIn;
        (await board.GetStringAsync("/")).ShouldContain($"card-{id}");
        (await Client.GetFromJsonAsync("/api/search?q=wombat", OverseerJson.Default.SearchResponse))!.Items.ShouldHaveSingleItem();

        (await SendAsync(HttpMethod.Delete, $"/api/sessions/{id}")).Status.ShouldBe(HttpStatusCode.NoContent);

        (await ListedAsync()).ShouldNotContain(id);
        (await board.GetStringAsync("/")).ShouldNotContain($"card-{id}");
        (await board.GetAsync($"/sessions/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Client.GetFromJsonAsync("/api/search?q=wombat", OverseerJson.Default.SearchResponse))!.Items.ShouldBeEmpty();
        var stats = (await Client.GetFromJsonAsync("/api/stats", OverseerJson.Default.StatsDto))!;
        stats.SessionsByStatus.ShouldBeEmpty("a deleted session is counted under no status");

        // The log keeps its events: an admin still reads them; a member who could see it before no longer finds it.
        var events = await Client.GetEventsAsync(id);
        events.Select(e => e.Type).TakeLast(2).ShouldBe(["session.cancelled", "session.deleted"]);
        events[^1].Data.GetProperty("byUserId").GetString().ShouldBe("u_admin");
        using var asVera = Server.CreateClient(vera);
        (await SendAsync(asVera, HttpMethod.Get, $"/api/sessions/{id}/events")).Status.ShouldBe(HttpStatusCode.NotFound);
        var count = events.Count;
        (await Client.GetFromJsonAsync("/api/stats", OverseerJson.Default.StatsDto))!.ActiveSessions.ShouldBe(0, "its slot is free");
        (await Client.GetEventsAsync(id)).Count.ShouldBe(count, "a deleted session's agent keeps quiet");
    }

    [Theory]
    [InlineData("""{"type": "chore"}""", "type")]
    [InlineData("""{"title": "   "}""", "title")]
    [InlineData("""{"priority": 500}""", "priority")]
    [InlineData("""{"budgetUsd": -5}""", "budgetUsd")]
    [InlineData("""{"budgetUsd": -5, "title": "kept as it was"}""", "budgetUsd")]
    [InlineData("""{"budget": 5}""", "budget")]
    [InlineData("""{"title": "ok", "status": "running"}""", "status")]
    [InlineData("""{"priority": "high"}""", "priority")]
    public async Task Patch_BadField_Answers400NamingIt_AndChangesNothing(string json, string field)
    {
        var id = (await Client.CreateSessionAsync(await ProjectAsync(), LongSleep)).Id;

        var (status, problem) = await SendAsync(HttpMethod.Patch, $"/api/sessions/{id}", json);

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()).ShouldBe(("INVALID_FIELD", field));
        (await Client.GetEventsAsync(id)).ShouldNotContain(e => e.Type == EventTypes.SessionUpdated);
        await SendAsync(HttpMethod.Post, $"/api/sessions/{id}/cancel");
    }

    [Fact]
    public async Task Patch_BudgetUsd_SetsTheSessionsBudget_WithTheOtherFieldsOrAlone()
    {
        var id = (await Client.CreateSessionAsync(await ProjectAsync(), LongSleep)).Id;

        var (patched, edited) = await SendAsync(HttpMethod.Patch, $"/api/sessions/{id}", """{"title": "Capped report", "budgetUsd": 3}""");
        patched.ShouldBe(HttpStatusCode.OK, edited.ToString());
        edited.GetProperty("title").GetString().ShouldBe("Capped report");
        (await SessionBudgetsAsync(id)).Select(b => b.LimitUsd).ShouldBe([3m]);

        (await SendAsync(HttpMethod.Patch, $"/api/sessions/{id}", """{"budgetUsd": 4.5}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await SessionBudgetsAsync(id)).Select(b => b.LimitUsd).ShouldBe([4.5m], "the session's one budget, raised");
        await SendAsync(HttpMethod.Post, $"/api/sessions/{id}/cancel");
    }

    private async Task<IReadOnlyList<BudgetDto>> SessionBudgetsAsync(string id) =>
        [.. (await Client.GetFromJsonAsync("/api/budgets?scope=session", OverseerJson.Default.ListResponseBudgetDto))!.Items.Where(b => b.Target == id)];

    [Theory]
    [InlineData("type", "\"chore\"")]
    [InlineData("title", "\"a\\u0007bell\"")]
    [InlineData("description", null)]
    public async Task Create_BadTaskField_Answers400NamingIt_AndStoresNothing(string field, string? value)
    {
        var projectId = await ProjectAsync();
        value ??= JsonSerializer.Serialize(new string('d', SessionTasks.MaxDescriptionChars + 1));
        var (status, problem) = await SendAsync(HttpMethod.Post, "/api/sessions", $$"""{"projectId": "{{projectId}}", "prompt": "p", "runtime": "scripted", "draft": true, "{{field}}": {{value}}}""");

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        (problem.GetProperty("code").GetString(), problem.GetProperty("field").GetString()).ShouldBe(("INVALID_FIELD", field));
        (await ListedAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListFiltersAndCommands_OnWhatIsNotThere_AnswerClearly()
    {
        var (badType, typeProblem) = await SendAsync(HttpMethod.Get, "/api/sessions?type=chore");
        (badType, typeProblem.GetProperty("field").GetString()).ShouldBe((HttpStatusCode.BadRequest, "type"));
        var (deleted, statusProblem) = await SendAsync(HttpMethod.Get, "/api/sessions?status=deleted");
        (deleted, statusProblem.GetProperty("field").GetString()).ShouldBe((HttpStatusCode.BadRequest, "status"));

        var running = (await Client.CreateSessionAsync(await ProjectAsync(), LongSleep)).Id;
        var (notDraft, startProblem) = await SendAsync(HttpMethod.Post, $"/api/sessions/{running}/start");
        (notDraft, startProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "INVALID_STATE"));
        startProblem.GetProperty("detail").GetString()!.ShouldStartWith("Only a draft can be started");
        foreach (var (method, path) in new[] { (HttpMethod.Patch, "/api/sessions/s_nope"), (HttpMethod.Post, "/api/sessions/s_nope/start"), (HttpMethod.Delete, "/api/sessions/s_nope") })
            (await SendAsync(method, path, method == HttpMethod.Patch ? """{"title": "x"}""" : null)).Status.ShouldBe(HttpStatusCode.NotFound, path);
        await SendAsync(HttpMethod.Delete, $"/api/sessions/{running}");
    }
}
