using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.TestKit;
using Overseer.TestKit.Notifications;
using Overseer.Tests.Notifications;

namespace Overseer.Tests.Budgets;

/// <summary>
/// Budgets end to end: a real <c>overseer serve</c> process, scripted agents whose turns report
/// what they cost, and a webhook receiver on loopback for the notifications.
/// </summary>
public sealed class BudgetEnforcementTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private ServerProcess _server = null!;
    private HttpClient _client = null!;
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _server = await ServerProcess.StartAsync(Path.Combine(_temp.Path, "data"), _temp.Create("projects"), new Dictionary<string, string>
        {
            ["OVERSEER__Notifications__BatchWindow"] = "00:00:00.100",
        });
        _client = _server.CreateClient();
        _receiver = await WebhookReceiver.StartAsync();
        var (_, secret) = await _client.CreateChannelAsync("webhook", new { url = _receiver.Url.ToString() }, new { kinds = new[] { "budget" } });
        _receiver.Secret = secret!;
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _client.Dispose();
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private static object[] Script(params (string Said, decimal Cost)[] turns) =>
        [.. turns.SelectMany(t => new object[] { new { say = t.Said }, new { usage = new { inputTokens = 1200, outputTokens = 300, costUsd = t.Cost } } })];

    private async Task<string> StartAsync(string projectId, object[] script, decimal? budgetUsd = null)
    {
        using var response = await _client.PostJsonAsync("/api/sessions",
            JsonSerializer.Serialize(new { projectId, prompt = "Spend a little each turn.", runtime = "scripted", script, budgetUsd }));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync(OverseerJson.Default.SessionDto))!.Id;
    }

    private static string[] Said(IEnumerable<EventEnvelope> events) =>
        [.. events.Where(e => e.Type == EventTypes.AgentText).Select(e => e.Data.GetProperty("text").GetString()!)];

    /// <summary>Every budget item delivered so far, in order (a batch may carry several).</summary>
    private async Task<List<JsonElement>> BudgetItemsAsync(int atLeast)
    {
        var items = new List<JsonElement>();
        await Poll.UntilAsync(() =>
        {
            items = [.. _receiver.Processed.SelectMany(d => Enumerable.Range(0, d.ItemCount).Select(i => d.Item(i)))];
            return Task.FromResult(items.Count);
        }, count => count >= atLeast, TimeSpan.FromSeconds(20), $"{atLeast} budget notifications");
        return items;
    }

    [Fact]
    public async Task SessionBudget_WarnsAndNotifiesAtEightyPercent_PausesAtTheHundredth_RefusesResume_AndGoesOnOnceRaised()
    {
        var project = await _client.CreateProjectAsync(_temp.Create("projects/app"), "app");
        var id = await StartAsync(project.Id, Script(("one", 0.45m), ("two", 0.45m), ("three", 0.45m), ("four", 0.45m)), budgetUsd: 1m);

        var paused = await _client.WaitForStatusAsync(id, SessionStatus.Paused);
        (paused.Reason, paused.Usage.CostUsd).ShouldBe(("budget", 1.35m));
        var events = await _client.GetEventsAsync(id);
        Said(events).ShouldBe(["one", "two", "three"], "paused at the boundary after turn 3, before turn 4");
        var order = events.Where(e => e.Type is EventTypes.UsageUpdated or EventTypes.BudgetWarning or EventTypes.BudgetExceeded).Select(e => e.Type).ToArray();
        order.ShouldBe([EventTypes.UsageUpdated, EventTypes.UsageUpdated, EventTypes.BudgetWarning, EventTypes.UsageUpdated, EventTypes.BudgetExceeded]);
        var warning = events.Single(e => e.Type == EventTypes.BudgetWarning).Data;
        (warning.GetProperty("scope").GetString(), warning.GetProperty("limitUsd").GetDecimal(), warning.GetProperty("spentUsd").GetDecimal(), warning.GetProperty("percent").GetInt32())
            .ShouldBe(("session", 1m, 0.90m, 90));
        var pause = events.Last(e => e.Type == EventTypes.SessionPaused).Data;
        (pause.GetProperty("from").GetString(), pause.GetProperty("reason").GetString()).ShouldBe(("running", "budget"));

        var items = await BudgetItemsAsync(2);
        items.Select(i => i.GetProperty("kind").GetString()).ShouldBe(["budget", "budget"]);
        items[0].GetProperty("title").GetString().ShouldBe("Budget at 90%");
        items[0].GetProperty("body").GetString()!.ShouldStartWith("$0.90 of this session's budget ($1.00) spent (90%).");
        items[1].GetProperty("title").GetString().ShouldBe("Budget spent: session paused");
        items[1].GetProperty("body").GetString()!.ShouldStartWith("$1.35 of this session's budget ($1.00) is spent (135%).");
        items[1].GetProperty("url").GetString().ShouldBe(new Uri(_server.Address, $"/sessions/{id}").ToString());

        using (var refused = await _client.PostAsync($"/api/sessions/{id}/resume", null))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
            var problem = await refused.ProblemAsync();
            problem.GetProperty("code").GetString().ShouldBe("BUDGET_EXCEEDED");
            problem.GetProperty("detail").GetString()!.ShouldStartWith("$1.35 of this session's budget ($1.00) is spent (135%). Raise the limit (PUT /api/budgets)");
        }
        (await _client.GetSessionAsync(id)).Status.ShouldBe(SessionStatus.Paused);

        using (var raise = await _client.PutAsync("/api/budgets", JsonContent("""{"scope": "session", "target": "ID", "limitUsd": 2}""".Replace("ID", id))))
            raise.StatusCode.ShouldBe(HttpStatusCode.OK, await raise.Content.ReadAsStringAsync());
        using (var resume = await _client.PostAsync($"/api/sessions/{id}/resume", null))
            resume.StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var idle = await _client.WaitForStatusAsync(id, SessionStatus.Idle);
        idle.Usage.CostUsd.ShouldBe(1.80m);
        Said(await _client.GetEventsAsync(id)).ShouldBe(["one", "two", "three", "four"]);
        var budget = (await _client.GetFromJsonAsync("/api/budgets", OverseerJson.Default.ListResponseBudgetDto))!.Items.ShouldHaveSingleItem();
        (budget.Scope, budget.LimitUsd, budget.SpentUsd, budget.Percent, budget.State).ShouldBe(("session", 2m, 1.80m, 90, "warning"));
        (await BudgetItemsAsync(3))[2].GetProperty("title").GetString().ShouldBe("Budget at 90%", "the raised limit warns again at its own 80%");
    }

    [Fact]
    public async Task ProjectDay_Spent_PausesTheSession_AndAnApprovedOverrunLetsItGoOnUpToTheAmount()
    {
        var project = await _client.CreateProjectAsync(_temp.Create("projects/shop"), "shop");
        using (var set = await _client.PutAsync("/api/budgets", JsonContent($$"""{"scope": "project", "target": "{{project.Id}}", "period": "day", "limitUsd": 1}""")))
            set.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = await StartAsync(project.Id, Script(("a", 0.6m), ("b", 0.6m), ("c", 0.3m), ("d", 0.3m)));
        await _client.WaitForStatusAsync(id, SessionStatus.Paused);

        using (var approve = await _client.PostJsonAsync($"/api/sessions/{id}/budget/approve-overrun", """{"amountUsd": 0.5}"""))
            approve.StatusCode.ShouldBe(HttpStatusCode.Accepted, await approve.Content.ReadAsStringAsync());

        // $1.20 when approved: up to $1.70 it goes on (c brings it to $1.50), past it (d: $1.80) it stops again.
        await Poll.UntilAsync(() => _client.GetEventsAsync(id), e => e.Count(x => x.Type == EventTypes.BudgetExceeded) == 2, TimeSpan.FromSeconds(20), "the second stop");
        var paused = await _client.WaitForStatusAsync(id, SessionStatus.Paused);
        paused.Usage.CostUsd.ShouldBe(1.80m);
        var events = await _client.GetEventsAsync(id);
        Said(events).ShouldBe(["a", "b", "c", "d"]);
        var approved = events.Single(e => e.Type == EventTypes.BudgetOverrunApproved);
        approved.Actor.ShouldBe("admin");
        (approved.Data.GetProperty("amountUsd").GetDecimal(), approved.Data.GetProperty("untilUsd").GetDecimal(), approved.Data.GetProperty("byUserId").GetString())
            .ShouldBe((0.5m, 1.70m, "u_admin"));
        approved.Data.GetProperty("reason").GetString().ShouldBe("$0.50 more past the daily budget of project shop ($1.00)");

        var audit = JsonDocument.Parse(await _client.GetStringAsync($"/api/audit?session={id}&action=budget")).RootElement.GetProperty("items");
        var row = audit.EnumerateArray().ShouldHaveSingleItem();
        (row.GetProperty("action").GetString(), row.GetProperty("by").GetString()).ShouldBe(("budget.overrun_approved", "admin"));

        using (var another = await _client.PostJsonAsync("/api/sessions", JsonSerializer.Serialize(new { projectId = project.Id, prompt = "more" })))
            (await another.ProblemAsync()).GetProperty("code").GetString().ShouldBe("BUDGET_EXCEEDED");
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
