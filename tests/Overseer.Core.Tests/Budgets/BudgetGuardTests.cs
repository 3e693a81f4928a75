using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Budgets;
using Overseer.Storage;

namespace Overseer.Core.Tests.Budgets;

/// <summary>
/// The guard against a real store whose events are stamped by a fake clock: days and months turn
/// over when the clock says so, and spend is what the log recorded in each.
/// </summary>
public sealed class BudgetGuardTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 4, 30, 22, 0, 0, TimeSpan.Zero));
    private Engine _engine = null!;

    public async Task InitializeAsync() => _engine = await Engine.StartAsync(clock: _clock);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    private BudgetSubject Subject(string session) => new(session, _engine.Project.Id, "u_ann");

    [Fact]
    public async Task Check_CrossingEightyPercent_WarnsOncePerPeriod_AndAgainWhenTheNextDayCrossesIt()
    {
        var day = await SetAsync(BudgetScopes.Project, _engine.Project.Id, BudgetPeriods.Day, 1.00m);
        await SessionAsync("s1");

        await SpendAsync("s1", 0.50m);
        (await _engine.Guard.CheckAsync(Subject("s1"), default)).Warnings.ShouldBeEmpty();

        await SpendAsync("s1", 0.35m);
        var crossed = await _engine.Guard.CheckAsync(Subject("s1"), default);
        var warning = crossed.Warnings.ShouldHaveSingleItem();
        (warning.Budget.Id, warning.Percent, warning.Spent.CostUsd, warning.Window.Key).ShouldBe((day.Id, 85, 0.85m, "2026-04-30"));
        crossed.Stop.ShouldBeNull();
        (await _engine.Guard.CheckAsync(Subject("s1"), default)).Warnings.ShouldBeEmpty("one warning per budget and period");

        _clock.Advance(TimeSpan.FromHours(3));
        (await _engine.Guard.CheckAsync(Subject("s1"), default)).Warnings.ShouldBeEmpty("a new day starts at nothing spent");
        await SpendAsync("s1", 0.90m);
        (await _engine.Guard.CheckAsync(Subject("s1"), default)).Warnings.ShouldHaveSingleItem().Window.Key.ShouldBe("2026-05-01");
    }

    [Fact]
    public async Task Check_AfterTheWarningWasStored_DoesNotWarnAgain_EvenFromAnotherGuard()
    {
        var budget = await SetAsync(BudgetScopes.Global, "", BudgetPeriods.Month, 1.00m);
        await SessionAsync("s1");
        await SpendAsync("s1", 0.90m);
        var warning = (await _engine.Guard.CheckAsync(Subject("s1"), default)).Warnings.ShouldHaveSingleItem();
        await _engine.Store.AppendAsync([Event("s1", EventTypes.BudgetWarning,
            new BudgetReachedData(budget.Id, budget.Scope, null, budget.Period, warning.Window.Key, budget.LimitUsd, 0.90m, 90), OverseerJson.Default.BudgetReachedData)]);

        var afterRestart = new BudgetGuard(_engine.Budgets, _clock);

        (await afterRestart.CheckAsync(Subject("s1"), default)).Warnings.ShouldBeEmpty();
        await SetAsync(BudgetScopes.Global, "", BudgetPeriods.Month, 1.10m);
        (await afterRestart.CheckAsync(Subject("s1"), default)).Warnings.ShouldHaveSingleItem("a raised limit warns again at its own 80%");
    }

    [Fact]
    public async Task Stop_IsTheNarrowestSpentBudget_UntilAnApprovedOverrunCoversTheSession()
    {
        await SetAsync(BudgetScopes.Global, "", BudgetPeriods.Month, 1.00m);
        var user = await SetAsync(BudgetScopes.User, "u_ann", BudgetPeriods.Day, 0.50m);
        await SessionAsync("s1");
        await SpendAsync("s1", 1.20m);

        var stop = (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldNotBeNull();
        stop.Budget.Id.ShouldBe(user.Id);
        stop.Describe().ShouldBe("$1.20 of the daily budget of user u_ann ($0.50) is spent (240%, UTC day 2026-04-30).");
        (await _engine.Guard.StopAsync(new BudgetSubject(null, _engine.Project.Id, "u_bob"), default)).ShouldNotBeNull().Budget.Scope.ShouldBe(BudgetScopes.Global);

        await _engine.Store.AppendAsync([Event("s1", EventTypes.BudgetOverrunApproved, new BudgetOverrunApprovedData(user.Id, 0.30m, 1.50m, "$0.30 more", "ann"), OverseerJson.Default.BudgetOverrunApprovedData)]);
        (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldBeNull();
        (await _engine.Guard.CheckAsync(Subject("s1"), default)).Stop.ShouldBeNull();

        await SpendAsync("s1", 0.31m);
        (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldNotBeNull("past the approved amount");
    }

    [Fact]
    public async Task DayBudget_SpentYesterday_StopsNothingToday_WhileTheMonthStillCountsIt()
    {
        await SetAsync(BudgetScopes.Project, _engine.Project.Id, BudgetPeriods.Day, 1.00m);
        var month = await SetAsync(BudgetScopes.Project, _engine.Project.Id, BudgetPeriods.Month, 1.50m);
        await SessionAsync("s1");
        await SpendAsync("s1", 1.00m);
        (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldNotBeNull().Budget.Period.ShouldBe(BudgetPeriods.Day);

        _clock.Advance(TimeSpan.FromHours(2.5)); // 2026-04-30 22:00 → 2026-05-01 00:30: a new day and a new month
        (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldBeNull();
        await SpendAsync("s1", 0.60m);
        var standings = await _engine.Guard.StandingsAsync(Subject("s1"), default);
        standings.Single(s => s.Budget.Id == month.Id).Spent.CostUsd.ShouldBe(0.60m);

        _clock.Advance(TimeSpan.FromDays(1));
        await SpendAsync("s1", 0.95m);
        var stop = (await _engine.Guard.StopAsync(Subject("s1"), default)).ShouldNotBeNull("the day is new, the month is not");
        (stop.Budget.Id, stop.Spent.CostUsd, stop.Window.Key).ShouldBe((month.Id, 1.55m, "2026-05"));
    }

    private async Task<BudgetRecord> SetAsync(string scope, string target, string period, decimal usd)
    {
        var now = _clock.GetUtcNow();
        return (await _engine.Budgets.UpsertAsync(new BudgetRecord(Sessions.Ids.New("b"), scope, target, period, usd, null, "ann", now, "ann", now))).Budget;
    }

    private Task SessionAsync(string id) => _engine.Store.AppendAsync([Event(id, EventTypes.SessionCreated,
        new SessionCreatedData(_engine.Project.Id, "Work.", "scripted", null, 0, null, StartedBy: new UserRefDto("u_ann", "ann")), OverseerJson.Default.SessionCreatedData)]);

    private readonly Dictionary<string, decimal> _totals = [];

    private Task SpendAsync(string id, decimal cost)
    {
        var total = _totals[id] = _totals.GetValueOrDefault(id) + cost;
        return _engine.Store.AppendAsync([Event(id, EventTypes.UsageUpdated,
            new UsageUpdatedData("m", 10, 1, 0, cost, new UsageTotals(10, 1, 0, cost), new UsageTotals(10, 1, 0, total)), OverseerJson.Default.UsageUpdatedData)]);
    }

    private static NewEvent Event<T>(string id, string type, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        new(id, type, "test", JsonSerializer.SerializeToElement(data, info));
}
