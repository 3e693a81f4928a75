using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage.Sqlite;
using static Overseer.Storage.Tests.Events;

namespace Overseer.Storage.Tests;

/// <summary>
/// Budgets' spend comes from the usage events the log already holds, by the UTC day each was
/// recorded on, the session's project and the user who started it.
/// </summary>
public sealed class BudgetStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset LastMinuteOfJanuary = new(2026, 1, 31, 23, 59, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(LastMinuteOfJanuary);
    private TestStore _t = null!;
    private SqliteBudgetStore _budgets = null!;

    public async Task InitializeAsync()
    {
        _t = await TestStore.OpenAsync(_time);
        _budgets = new SqliteBudgetStore(_t.Database);
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    [Fact]
    public async Task Spend_UsageEitherSideOfUtcMidnight_CountsOnItsOwnDayAndInItsOwnMonth()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), ProjectCreated("p2", "/work/two"),
            Started("s1", "p1", "u_ann"), Started("s2", "p1", null), Started("s3", "p2", "u_ann"));
        await _t.AppendAsync(Spent("s1", 0.40m, 100, 20, total: 0.40m));

        _time.Advance(TimeSpan.FromMinutes(2));
        await _t.AppendAsync(Spent("s1", 0.25m, 50, 10, total: 0.65m, totalTokens: (150, 30)), Spent("s2", 0.10m, 7, 3, total: 0.10m), Spent("s3", 1.00m, 1, 1, total: 1.00m));

        (await _budgets.SpendAsync(BudgetScopes.Project, "p1", "2026-01-31")).ShouldBe(new BudgetSpend(0.40m, 120));
        (await _budgets.SpendAsync(BudgetScopes.Project, "p1", "2026-02-01")).ShouldBe(new BudgetSpend(0.35m, 70));
        (await _budgets.SpendAsync(BudgetScopes.Project, "p1", "2026-01")).ShouldBe(new BudgetSpend(0.40m, 120));
        (await _budgets.SpendAsync(BudgetScopes.Project, "p1", "2026-02")).ShouldBe(new BudgetSpend(0.35m, 70));
        (await _budgets.SpendAsync(BudgetScopes.User, "u_ann", "2026-02-01")).ShouldBe(new BudgetSpend(1.25m, 62));
        (await _budgets.SpendAsync(BudgetScopes.User, "u_ann", "2026-01")).ShouldBe(new BudgetSpend(0.40m, 120));
        (await _budgets.SpendAsync(BudgetScopes.Global, "", "2026-02")).ShouldBe(new BudgetSpend(1.35m, 72));
        (await _budgets.SpendAsync(BudgetScopes.Global, "", "2026-01")).ShouldBe(new BudgetSpend(0.40m, 120));
        (await _budgets.SpendAsync(BudgetScopes.Session, "s1", "")).ShouldBe(new BudgetSpend(0.65m, 180));
        (await _budgets.SpendAsync(BudgetScopes.Project, "p_none", "2026-02-01")).ShouldBe(BudgetSpend.None);
        (await _budgets.SpendAsync(BudgetScopes.Global, "", "2026-02-01")).ShouldBe(new BudgetSpend(1.35m, 72));
    }

    [Fact]
    public async Task CoveringWithSpend_ReadsEachBudgetsSpendForItsOwnPeriod()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), Started("s1", "p1", "u_ann", budgetUsd: 3m));
        await _t.AppendAsync(Spent("s1", 0.40m, 100, 20, total: 0.40m));
        _time.Advance(TimeSpan.FromMinutes(2));
        await _t.AppendAsync(Spent("s1", 0.25m, 50, 10, total: 0.65m, totalTokens: (150, 30)));
        var day = (await _budgets.UpsertAsync(Budget("b_day", BudgetScopes.Project, "p1", BudgetPeriods.Day, 5m, "ann"))).Budget;
        var month = (await _budgets.UpsertAsync(Budget("b_month", BudgetScopes.User, "u_ann", BudgetPeriods.Month, 5m, "ann"))).Budget;

        var read = await _budgets.CoveringWithSpendAsync("s1", "p1", "u_ann", period => period switch { BudgetPeriods.Day => "2026-02-01", BudgetPeriods.Month => "2026-01", _ => "" });

        read.Select(r => (r.Budget.Id, r.Spent)).ShouldBe([("b_s1", new BudgetSpend(0.65m, 180)), (day.Id, new BudgetSpend(0.25m, 60)), (month.Id, new BudgetSpend(0.40m, 120))]);
    }

    [Fact]
    public async Task SessionCreatedWithBudgetUsd_GivesTheSessionItsOwnBudget_ListedWhileItLives()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one", "One"), Started("s1", "p1", "u_ann", budgetUsd: 2.5m), Started("s2", "p1", null));

        var own = (await _budgets.CoveringAsync("s1", "p1", "u_ann")).ShouldHaveSingleItem();
        own.ShouldBe(own with { Id = "b_s1", Scope = BudgetScopes.Session, Target = "s1", Period = BudgetPeriods.None, LimitUsd = 2.5m, LimitTokens = null, ProjectId = "p1" });
        (await _budgets.CoveringAsync("s2", "p1", null)).ShouldBeEmpty();
        (await _budgets.ListAsync(new BudgetListQuery())).Select(b => b.Id).ShouldBe(["b_s1"]);

        await _t.AppendAsync(State("s1", SessionStatus.Queued, SessionStatus.Cancelled));

        (await _budgets.ListAsync(new BudgetListQuery())).ShouldBeEmpty();
        (await _budgets.ListAsync(new BudgetListQuery(Scope: BudgetScopes.Session))).Select(b => b.Id).ShouldBe(["b_s1"]);
    }

    [Fact]
    public async Task Upsert_SameScopeTargetAndPeriod_ReplacesTheLimitsAndKeepsTheBudget()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one", "One"));
        var first = await _budgets.UpsertAsync(Budget("b_1", BudgetScopes.Project, "p1", BudgetPeriods.Day, 5m, "ann"));
        _time.Advance(TimeSpan.FromHours(1));
        var second = await _budgets.UpsertAsync(Budget("b_2", BudgetScopes.Project, "p1", BudgetPeriods.Day, 8m, "bob", tokens: 1_000));
        await _budgets.UpsertAsync(Budget("b_3", BudgetScopes.Project, "p1", BudgetPeriods.Month, 100m, "bob"));
        await _budgets.UpsertAsync(Budget("b_4", BudgetScopes.Global, "", BudgetPeriods.Month, 500m, "bob"));

        first.Created.ShouldBeTrue();
        second.Created.ShouldBeFalse();
        var stored = (await _budgets.FindAsync("b_1")).ShouldNotBeNull();
        stored.ShouldBe(new BudgetRecord("b_1", BudgetScopes.Project, "p1", BudgetPeriods.Day, 8m, 1_000, "ann", LastMinuteOfJanuary, "bob",
            LastMinuteOfJanuary.AddHours(1), "One", "p1"));
        (await _budgets.FindAsync("b_2")).ShouldBeNull();
        (await _budgets.ListAsync(new BudgetListQuery())).Select(b => b.Id).ShouldBe(["b_4", "b_1", "b_3"]);
        (await _budgets.ListAsync(new BudgetListQuery(ProjectId: "p1"))).Select(b => b.Id).ShouldBe(["b_1", "b_3"]);
        (await _budgets.CoveringAsync(null, "p1", null)).Select(b => b.Id).ShouldBe(["b_1", "b_3", "b_4"]);

        (await _budgets.RemoveAsync("b_1")).ShouldBeTrue();
        (await _budgets.RemoveAsync("b_1")).ShouldBeFalse();
        await _t.AppendAsync(ProjectDeleted("p1"));
        (await _budgets.ListAsync(new BudgetListQuery())).Select(b => b.Id).ShouldBe(["b_4"]);
    }

    [Fact]
    public async Task Warning_IsRememberedForItsPeriodAndLimits()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), Started("s1", "p1", null));
        await _t.AppendAsync(Create("s1", EventTypes.BudgetWarning,
            new BudgetReachedData("b_1", BudgetScopes.Project, "p1", BudgetPeriods.Day, "2026-01-31", 1m, 0.85m, 85), OverseerJson.Default.BudgetReachedData));

        (await _budgets.WarnedAsync("b_1", "2026-01-31", BudgetKeys.Limit(1m, null))).ShouldBeTrue();
        (await _budgets.WarnedAsync("b_1", "2026-02-01", BudgetKeys.Limit(1m, null))).ShouldBeFalse();
        (await _budgets.WarnedAsync("b_1", "2026-01-31", BudgetKeys.Limit(2m, null))).ShouldBeFalse();
        (await _budgets.WarnedAsync("b_1", "2026-01-31", BudgetKeys.Limit(1m, 500))).ShouldBeFalse();
    }

    [Fact]
    public async Task Overrun_IsTheLatestApproval_WithTheSessionsCostNow()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), Started("s1", "p1", null));
        (await _budgets.OverrunAsync("s1")).ShouldBeNull();

        await _t.AppendAsync(Spent("s1", 1.2m, 1, 1, total: 1.2m), Overrun("s1", 1.5m), Overrun("s1", 1.7m));

        (await _budgets.OverrunAsync("s1")).ShouldBe(new BudgetOverrun(1.7m, 1.2m));
    }

    [Fact]
    public async Task RecentCosts_AreTheFinishedRunsOfTheTemplateOrProject_NewestFirst()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), ProjectCreated("p2", "/work/two"));
        await RunAsync("s1", "p1", "tpl_a", 0.10m, SessionStatus.Completed);
        await RunAsync("s2", "p2", "tpl_a", 0.20m, SessionStatus.Idle);
        await RunAsync("s3", "p1", null, 0.30m, SessionStatus.Completed);
        await RunAsync("s4", "p1", "tpl_a", 9.00m, SessionStatus.Running);
        await RunAsync("s5", "p1", "tpl_a", 8.00m, SessionStatus.Cancelled);
        await RunAsync("s6", "p1", "tpl_a", 0.40m, SessionStatus.Idle);

        (await _budgets.RecentCostsAsync("tpl_a", null, null, 50)).ShouldBe([0.40m, 0.20m, 0.10m]);
        (await _budgets.RecentCostsAsync("tpl_a", null, ["p1"], 50)).ShouldBe([0.40m, 0.10m]);
        (await _budgets.RecentCostsAsync("tpl_a", null, [], 50)).ShouldBeEmpty();
        (await _budgets.RecentCostsAsync("tpl_a", null, null, 2)).ShouldBe([0.40m, 0.20m]);
        (await _budgets.RecentCostsAsync(null, "p1", null, 50)).ShouldBe([0.40m, 0.30m, 0.10m]);
        (await _budgets.RecentCostsAsync("tpl_none", null, null, 50)).ShouldBeEmpty();
    }

    [Fact]
    public async Task InitializeAsync_DatabaseWithUsageFromBeforeBudgets_CountsThatUsage()
    {
        await _t.AppendAsync(ProjectCreated("p1", "/work/one"), Started("s1", "p1", "u_ann"));
        await _t.AppendAsync(Spent("s1", 0.40m, 100, 20, total: 0.40m), Spent("s1", 0.05m, 1, 1, total: 0.45m));
        await using (var connection = await _t.Database.OpenAsync())
        using (var command = connection.CreateCommand())
        {
            // The database as the version before budgets left it (and without the steps after it).
            command.CommandText = """
                DROP TABLE trigger_deliveries;
                DROP TABLE triggers;
                ALTER TABLE sessions DROP COLUMN trigger_id;
                ALTER TABLE sessions DROP COLUMN source_url;
                DROP TABLE monitor_definitions;
                DROP TABLE check_samples;
                DROP TABLE check_rollups;
                DROP TABLE alerts;
                DROP TABLE budgets;
                DROP TABLE budget_spend;
                DROP TABLE budget_warnings;
                DROP TABLE budget_overruns;
                DROP INDEX ix_sessions_template;
                DROP INDEX ix_sessions_project_created;
                DELETE FROM schema_migrations WHERE version >= $v;
                """;
            command.Parameters.AddWithValue("$v", SqliteMigrations.VersionOf(BudgetsMigration.Sql));
            await command.ExecuteNonQueryAsync();
        }

        await _t.ReopenAsync();

        (await _budgets.SpendAsync(BudgetScopes.Project, "p1", "2026-01-31")).ShouldBe(new BudgetSpend(0.45m, 122));
        (await _budgets.SpendAsync(BudgetScopes.User, "u_ann", "2026-01")).ShouldBe(new BudgetSpend(0.45m, 122));
        (await _budgets.SpendAsync(BudgetScopes.Global, "", "2026-01-31")).ShouldBe(new BudgetSpend(0.45m, 122));
    }

    private async Task RunAsync(string id, string project, string? template, decimal cost, SessionStatus status)
    {
        await _t.AppendAsync(Started(id, project, null, template: template), Spent(id, cost, 1, 1, total: cost));
        if (status != SessionStatus.Queued)
            await _t.AppendAsync(State(id, SessionStatus.Queued, status));
    }

    private BudgetRecord Budget(string id, string scope, string target, string period, decimal usd, string by, long? tokens = null) =>
        new(id, scope, target, period, usd, tokens, by, _time.GetUtcNow(), by, _time.GetUtcNow());

    private static NewEvent Started(string id, string project, string? user, decimal? budgetUsd = null, string? template = null) =>
        Create(id, EventTypes.SessionCreated,
            new SessionCreatedData(project, "Work.", "scripted", null, 0, null, TemplateId: template, StartedBy: user is null ? null : new UserRefDto(user, user), BudgetUsd: budgetUsd),
            OverseerJson.Default.SessionCreatedData);

    private static NewEvent Spent(string id, decimal cost, long input, long output, decimal total, (long Input, long Output)? totalTokens = null) =>
        Usage(id, new UsageTotals(input, output, 0, cost), new UsageTotals(totalTokens?.Input ?? input, totalTokens?.Output ?? output, 0, total));

    private static NewEvent Overrun(string id, decimal until) =>
        Create(id, EventTypes.BudgetOverrunApproved, new BudgetOverrunApprovedData("b_1", null, until, "one more turn", "ann"), OverseerJson.Default.BudgetOverrunApprovedData);

    private static NewEvent Create<T>(string? sessionId, string type, T data, JsonTypeInfo<T> typeInfo) =>
        new(sessionId, type, Actor, JsonSerializer.SerializeToElement(data, typeInfo));
}
