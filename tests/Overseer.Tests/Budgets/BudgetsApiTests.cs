using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.Tests.Permissions;

namespace Overseer.Tests.Budgets;

/// <summary>/api/budgets, approve-overrun and predict over a real server, as its clients call them.</summary>
public sealed class BudgetsApiTests : ServerTest
{
    private static string Script(params object[] steps) => JsonSerializer.Serialize(steps);

    private static object Usage(decimal cost) => new { usage = new { inputTokens = 10, outputTokens = 5, costUsd = cost } };

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, object body) =>
        client.PutAsync("/api/budgets", new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json"));

    private static async Task<BudgetDto> SetAsync(HttpClient client, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await PutAsync(client, body);
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.BudgetDto))!;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status, await response.Content.ReadAsStringAsync());
        return await response.ProblemAsync();
    }

    private static async Task<IReadOnlyList<BudgetDto>> ListAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync("/api/budgets" + query, OverseerJson.Default.ListResponseBudgetDto))!.Items;

    private static async Task<CostPredictionDto> PredictAsync(HttpClient client, string projectId, string? templateId = null) =>
        (await client.GetFromJsonAsync($"/api/sessions/predict?projectId={projectId}" + (templateId is null ? "" : "&templateId=" + templateId), OverseerJson.Default.CostPredictionDto))!;

    [Fact]
    public async Task Put_CreatesThenReplaces_AndTheListShowsEachPeriodsSpend()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir("app"), "app");
        var global = await SetAsync(Client, new { scope = "global", period = "month", limitUsd = 10 });
        var replaced = await SetAsync(Client, new { scope = "global", period = "month", limitUsd = 20, limitTokens = 1000 }, HttpStatusCode.OK);
        var day = await SetAsync(Client, new { scope = "project", target = project.Id, period = "day", limitUsd = 1 });
        var user = await SetAsync(Client, new { scope = "user", target = "admin", period = "day", limitUsd = 5 });

        replaced.Id.ShouldBe(global.Id);
        (replaced.LimitUsd, replaced.LimitTokens, replaced.UpdatedBy).ShouldBe((20m, 1000L, "admin"));
        (user.Target, user.TargetName).ShouldBe(("u_admin", "admin"));
        day.PeriodStart.ShouldBe(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero));
        day.PeriodEnd.ShouldBe(day.PeriodStart!.Value.AddDays(1));

        var session = await Client.CreateSessionAsync(project.Id, Script(Usage(0.85m)));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        var list = await ListAsync(Client);
        list.Select(b => b.Id).ShouldBe([global.Id, day.Id, user.Id], "widest first");
        var spent = list.Single(b => b.Id == day.Id);
        (spent.SpentUsd, spent.SpentTokens, spent.Percent, spent.State, spent.TargetName).ShouldBe((0.85m, 15L, 85, "warning", "app"));
        list.Single(b => b.Id == global.Id).State.ShouldBe("ok");
        (await ListAsync(Client, "?scope=user")).Select(b => b.Id).ShouldBe([user.Id]);
        (await ListAsync(Client, $"?projectId={project.Id}")).Select(b => b.Id).ShouldBe([day.Id]);

        var audit = JsonDocument.Parse(await Client.GetStringAsync("/api/audit?action=budget")).RootElement.GetProperty("items");
        audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).ShouldBe(["budget.created", "budget.created", "budget.changed", "budget.created"]);
    }

    [Theory]
    [InlineData("""{"period": "day", "limitUsd": 1}""", "INVALID_FIELD", "scope")]
    [InlineData("""{"scope": "team", "period": "day", "limitUsd": 1}""", "INVALID_FIELD", "scope")]
    [InlineData("""{"scope": "global", "period": "week", "limitUsd": 1}""", "INVALID_FIELD", "period")]
    [InlineData("""{"scope": "global", "limitUsd": 1}""", "INVALID_FIELD", "period")]
    [InlineData("""{"scope": "global", "period": "day"}""", "INVALID_FIELD", "limitUsd")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": 0}""", "INVALID_FIELD", "limitUsd")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": 1000001}""", "INVALID_FIELD", "limitUsd")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": 1.0000000001}""", "INVALID_FIELD", "limitUsd")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": 1, "limitTokens": 0}""", "INVALID_FIELD", "limitTokens")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": 1, "target": "p_x"}""", "INVALID_FIELD", "target")]
    [InlineData("""{"scope": "project", "period": "day", "limitUsd": 1}""", "INVALID_FIELD", "target")]
    [InlineData("""{"scope": "project", "target": "p_none", "period": "day", "limitUsd": 1}""", "PROJECT_NOT_FOUND", "target")]
    [InlineData("""{"scope": "user", "target": "nobody", "period": "day", "limitUsd": 1}""", "USER_NOT_FOUND", "target")]
    [InlineData("""{"scope": "session", "target": "s_none", "limitUsd": 1}""", "SESSION_NOT_FOUND", "target")]
    [InlineData("""{"scope": "session", "target": "s_none", "period": "day", "limitUsd": 1}""", "INVALID_FIELD", "period")]
    [InlineData("""{"scope": "global", "period": "day", "limitUsd": "1"}""", "INVALID_FIELD", "limitUsd")]
    public async Task Put_BadRequest_Answers400NamingTheField_AndStoresNothing(string body, string code, string field)
    {
        using var response = await Client.PutAsync("/api/budgets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("field").GetString().ShouldBe(field);
        (await ListAsync(Client)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Rights_AdminsCapProjectsUsersAndTheServer_OperatorsTheirProjectsSessions_EachSeesWhatConcernsThem()
    {
        var one = await Client.CreateProjectAsync(NewProjectDir("one"), "one");
        var two = await Client.CreateProjectAsync(NewProjectDir("two"), "two");
        var otto = await RoleWorld.AddPersonAsync(Server, "otto", Roles.Operator, (one.Id, Roles.Operator));
        var vera = await RoleWorld.AddPersonAsync(Server, "vera", Roles.Viewer, (one.Id, Roles.Viewer));
        using var op = Server.CreateClient(otto.Token);
        using var viewer = Server.CreateClient(vera.Token);
        var inOne = await Client.CreateSessionAsync(one.Id, Script(new { say = "hi" }));
        var inTwo = await Client.CreateSessionAsync(two.Id, Script(new { say = "hi" }));
        var projectTwo = await SetAsync(Client, new { scope = "project", target = two.Id, period = "day", limitUsd = 3 });
        var ann = await SetAsync(Client, new { scope = "user", target = "admin", period = "day", limitUsd = 3 });
        var projectOne = await SetAsync(Client, new { scope = "project", target = one.Id, period = "month", limitUsd = 30 });

        (await ProblemAsync(await PutAsync(op, new { scope = "project", target = one.Id, period = "day", limitUsd = 9 }), HttpStatusCode.Forbidden))
            .GetProperty("detail").GetString().ShouldBe("A project's budget needs the admin role in its project; you have the operator role.");
        (await ProblemAsync(await PutAsync(op, new { scope = "global", period = "day", limitUsd = 9 }), HttpStatusCode.Forbidden))
            .GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        (await ProblemAsync(await PutAsync(op, new { scope = "session", target = inTwo.Id, limitUsd = 9 }), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
        (await ProblemAsync(await PutAsync(viewer, new { scope = "session", target = inOne.Id, limitUsd = 9 }), HttpStatusCode.Forbidden))
            .GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        var own = await SetAsync(op, new { scope = "session", target = inOne.Id, limitUsd = 9 });
        (await ProblemAsync(await op.DeleteAsync($"/api/budgets/{projectOne.Id}"), HttpStatusCode.Forbidden)).GetProperty("code").GetString().ShouldBe("FORBIDDEN");
        (await ProblemAsync(await op.DeleteAsync($"/api/budgets/{projectTwo.Id}"), HttpStatusCode.NotFound)).GetProperty("code").GetString().ShouldBe("BUDGET_NOT_FOUND");

        (await ListAsync(op)).Select(b => b.Id).ShouldBe([projectOne.Id, own.Id], "not project two's, not another user's");
        (await ListAsync(viewer)).Select(b => b.Id).ShouldBe([projectOne.Id, own.Id]);
        (await ListAsync(Client)).Select(b => b.Id).ShouldBe([projectOne.Id, projectTwo.Id, ann.Id, own.Id]);

        (await op.DeleteAsync($"/api/budgets/{own.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await Client.DeleteAsync($"/api/budgets/{projectTwo.Id}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await ProblemAsync(await Client.DeleteAsync($"/api/budgets/{projectTwo.Id}"), HttpStatusCode.NotFound)).GetProperty("code").GetString().ShouldBe("BUDGET_NOT_FOUND");
        (await ListAsync(Client)).Select(b => b.Id).ShouldBe([projectOne.Id, ann.Id]);
    }

    [Fact]
    public async Task CreateSession_AgainstASpentBudget_Answers409NamingIt_AndABadBudgetUsd400()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir("app"), "app");
        await SetAsync(Client, new { scope = "project", target = project.Id, period = "day", limitUsd = 0.5 });
        var spender = await Client.CreateSessionAsync(project.Id, Script(Usage(0.6m)));
        await Client.WaitForStatusAsync(spender.Id, SessionStatus.Paused);

        using var refused = await Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = project.Id, prompt = "more", runtime = "scripted" }));
        var problem = await ProblemAsync(refused, HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe("BUDGET_EXCEEDED");
        problem.GetProperty("detail").GetString()!.ShouldStartWith("$0.60 of the daily budget of project app ($0.50) is spent (120%, UTC day ");

        var other = await Client.CreateProjectAsync(NewProjectDir("other"), "other");
        using var bad = await Client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = other.Id, prompt = "x", budgetUsd = -1 }));
        (await ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("budgetUsd");
        using var templated = await Client.PostJsonAsync("/api/templates", """{"name": "capped", "prompt": "Do it.", "defaults": {"budgetUsd": 0.25}}""");
        templated.StatusCode.ShouldBe(HttpStatusCode.Created);
        var template = (await templated.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!;
        template.Defaults.BudgetUsd.ShouldBe(0.25m);
        using var run = await Client.PostJsonAsync($"/api/templates/{template.Id}/run", JsonSerializer.Serialize(new { projectId = other.Id, runtime = "scripted", script = new object[] { new { say = "x" } } }));
        run.StatusCode.ShouldBe(HttpStatusCode.Created, await run.Content.ReadAsStringAsync());
        var started = (await run.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!;
        (await ListAsync(Client, "?scope=session")).ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            b => b.Target.ShouldBe(started.Id), b => b.LimitUsd.ShouldBe(0.25m), b => b.Period.ShouldBe("none"));
    }

    [Fact]
    public async Task ApproveOverrun_WithNothingSpent_Answers409_AndABadAmount400()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir("app"));
        var session = await Client.CreateSessionAsync(project.Id, Script(new { say = "hi" }));
        await Client.WaitForStatusAsync(session.Id, SessionStatus.Idle);

        using var nothing = await Client.PostAsync($"/api/sessions/{session.Id}/budget/approve-overrun", null);
        (await ProblemAsync(nothing, HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("INVALID_STATE");
        using var negative = await Client.PostJsonAsync($"/api/sessions/{session.Id}/budget/approve-overrun", """{"amountUsd": -2}""");
        (await ProblemAsync(negative, HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("amountUsd");
        using var missing = await Client.PostAsync("/api/sessions/s_none/budget/approve-overrun", null);
        (await ProblemAsync(missing, HttpStatusCode.NotFound)).GetProperty("code").GetString().ShouldBe("SESSION_NOT_FOUND");
    }

    [Fact]
    public async Task Predict_WithoutHistory_SaysNone_ThenTheMedianAndP90OfTheTemplatesRuns_ElseTheProjects()
    {
        var project = await Client.CreateProjectAsync(NewProjectDir("app"));
        var other = await Client.CreateProjectAsync(NewProjectDir("other"));
        using var created = await Client.PostJsonAsync("/api/templates", """{"name": "tests", "prompt": "Write the tests."}""");
        var template = (await created.Content.ReadFromJsonAsync(OverseerJson.Default.TemplateDto))!;

        (await PredictAsync(Client, project.Id)).ShouldBe(new CostPredictionDto("none", 0, null, null));
        (await PredictAsync(Client, project.Id, template.Id)).ShouldBe(new CostPredictionDto("none", 0, null, null));

        foreach (var cost in new[] { 0.10m, 0.40m, 0.20m, 0.30m, 1.00m })
        {
            using var run = await Client.PostJsonAsync($"/api/templates/{template.Id}/run",
                JsonSerializer.Serialize(new { projectId = project.Id, runtime = "scripted", script = new[] { Usage(cost) } }));
            run.StatusCode.ShouldBe(HttpStatusCode.Created);
            await Client.WaitForStatusAsync((await run.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!.Id, SessionStatus.Idle);
        }
        var unfinished = await Client.CreateSessionAsync(project.Id, Script(Usage(9m), new { ask = new { question = "ok?" } }));
        await Client.WaitForStatusAsync(unfinished.Id, SessionStatus.Waiting);

        (await PredictAsync(Client, project.Id, template.Id)).ShouldBe(new CostPredictionDto("template", 5, 0.30m, 1.00m));
        (await PredictAsync(Client, other.Id, template.Id)).ShouldBe(new CostPredictionDto("template", 5, 0.30m, 1.00m), "a template's runs anywhere the caller sees");
        (await PredictAsync(Client, project.Id)).ShouldBe(new CostPredictionDto("project", 5, 0.30m, 1.00m), "only finished runs count");
        (await PredictAsync(Client, other.Id)).ShouldBe(new CostPredictionDto("none", 0, null, null));

        (await ProblemAsync(await Client.GetAsync("/api/sessions/predict"), HttpStatusCode.BadRequest)).GetProperty("field").GetString().ShouldBe("projectId");
        (await ProblemAsync(await Client.GetAsync($"/api/sessions/predict?projectId={project.Id}&templateId=tpl_none"), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString().ShouldBe("TEMPLATE_NOT_FOUND");
        var outsider = await RoleWorld.AddPersonAsync(Server, "olga", Roles.Operator, (other.Id, Roles.Operator));
        using var olga = Server.CreateClient(outsider.Token);
        (await ProblemAsync(await olga.GetAsync($"/api/sessions/predict?projectId={project.Id}"), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString().ShouldBe("PROJECT_NOT_FOUND");
        (await PredictAsync(olga, other.Id, template.Id)).ShouldBe(new CostPredictionDto("none", 0, null, null), "runs in projects she cannot see do not inform her");
    }
}
