using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Scripted;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Tests.Budgets;

/// <summary>Budgets enforced by the session actor: scripted agents report usage, the engine and store are real.</summary>
public sealed class SessionBudgetTests
{
    private static string Script(params object[] steps) => JsonSerializer.Serialize(steps);

    private static object Usage(decimal cost) => new { usage = new { inputTokens = 100, outputTokens = 10, costUsd = cost } };

    private static object Say(string text) => new { say = text };

    private static async Task<string> CreateAsync(Engine engine, string script, decimal? budgetUsd = null, SessionManager? manager = null, string by = Engine.By)
    {
        var result = await (manager ?? engine.Manager).CreateAsync(
            new CreateSessionRequest(engine.Project.Id, "Spend.", ScriptedRuntime.RuntimeName, null, null, Engine.Json(script), BudgetUsd: budgetUsd), by, CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.SessionId.ShouldNotBeNull();
    }

    private static async Task<BudgetRecord> SetAsync(Engine engine, string scope, string target, string period, decimal usd)
    {
        var now = DateTimeOffset.UtcNow;
        return (await engine.Budgets.UpsertAsync(new BudgetRecord(Ids.New("b"), scope, target, period, usd, null, "ann", now, "ann", now))).Budget;
    }

    private static BudgetReachedData[] Reached(IEnumerable<EventEnvelope> events, string type) =>
        [.. events.Where(e => e.Type == type).Select(e => e.Data.Deserialize(OverseerJson.Default.BudgetReachedData)!)];

    [Fact]
    public async Task SessionBudget_WarnsAtEightyPercent_PausesAtTheHundredth_AndGoesOnOnlyOnceRaised()
    {
        await using var engine = await Engine.StartAsync();
        var id = await CreateAsync(engine, Script(Usage(0.45m), Say("one"), Usage(0.45m), Say("two"), Usage(0.45m), Say("three"), Usage(0.45m), Say("done")), budgetUsd: 1m);

        var paused = await engine.WaitForStatusAsync(id, SessionStatus.Paused);

        paused.Reason.ShouldBe("budget");
        paused.Usage.CostUsd.ShouldBe(1.35m);
        var events = await engine.EventsAsync(id);
        Engine.Texts(events).ShouldBe(["one", "two"], "held before its next step");
        var warning = Reached(events, EventTypes.BudgetWarning).ShouldHaveSingleItem();
        (warning.Scope, warning.LimitUsd, warning.SpentUsd, warning.Percent).ShouldBe((BudgetScopes.Session, 1m, 0.90m, 90));
        var exceeded = Reached(events, EventTypes.BudgetExceeded).ShouldHaveSingleItem();
        (exceeded.BudgetId, exceeded.SpentUsd, exceeded.Percent).ShouldBe(("b_" + id, 1.35m, 135));
        var change = Engine.StateChange(events.Last(Engine.IsStateChange));
        (change.To, change.Reason).ShouldBe((SessionStatus.Paused, "budget"));

        var refused = await engine.Manager.ResumeAsync(id, "ann");
        (refused.Outcome, refused.Code).ShouldBe((CommandOutcome.InvalidState, ErrorCodes.BudgetExceeded));
        refused.Message!.ShouldStartWith("$1.35 of this session's budget ($1.00) is spent (135%).");
        (await engine.GetAsync(id)).Status.ShouldBe(SessionStatus.Paused);

        await SetAsync(engine, BudgetScopes.Session, id, BudgetPeriods.None, 2m);
        (await engine.Manager.ResumeAsync(id, "ann")).Succeeded.ShouldBeTrue();

        var idle = await engine.WaitForStatusAsync(id, SessionStatus.Idle);
        idle.Usage.CostUsd.ShouldBe(1.80m);
        events = await engine.EventsAsync(id);
        Engine.Texts(events).ShouldBe(["one", "two", "three", "done"]);
        Reached(events, EventTypes.BudgetWarning).Select(w => (w.LimitUsd, w.Percent)).ShouldBe([(1m, 90), (2m, 90)], "a raised limit warns again at its own 80%");
    }

    [Fact]
    public async Task ApprovedOverrun_ResumesThePausedSession_UntilItsCostPassesTheAmount()
    {
        await using var engine = await Engine.StartAsync();
        await SetAsync(engine, BudgetScopes.Project, engine.Project.Id, BudgetPeriods.Day, 1m);
        var id = await CreateAsync(engine, Script(Usage(0.6m), Say("a"), Usage(0.6m), Say("b"), Usage(0.3m), Say("c"), Usage(0.3m), Say("d")));
        await engine.WaitForStatusAsync(id, SessionStatus.Paused);

        (await engine.Manager.ApproveOverrunAsync(id, 0.4m, new ActedBy("ann", "u_ann", "t_1"))).Succeeded.ShouldBeTrue();

        await engine.WaitForEventsAsync(id, e => Reached(e, EventTypes.BudgetExceeded).Length == 2, "the second stop, past the approved $0.40");
        var paused = await engine.WaitForStatusAsync(id, SessionStatus.Paused);
        paused.Usage.CostUsd.ShouldBe(1.8m);
        Engine.Texts(await engine.EventsAsync(id)).ShouldBe(["a", "b", "c"]);

        (await engine.Manager.ApproveOverrunAsync(id, null, "ann")).Succeeded.ShouldBeTrue();

        await engine.WaitForStatusAsync(id, SessionStatus.Idle);
        var events = await engine.EventsAsync(id);
        Engine.Texts(events).ShouldBe(["a", "b", "c", "d"]);
        var approvals = events.Where(e => e.Type == EventTypes.BudgetOverrunApproved).Select(e => e.Data.Deserialize(OverseerJson.Default.BudgetOverrunApprovedData)!).ToArray();
        approvals.Select(a => (a.AmountUsd, a.UntilUsd, a.By)).ShouldBe([(0.4m, 1.6m, "ann"), ((decimal?)null, 1.8m, "ann")]);
        (approvals[0].ByUserId, approvals[0].TokenId).ShouldBe(("u_ann", "t_1"));
        approvals[0].Reason.ShouldBe($"$0.40 more past the daily budget of project demo ($1.00)");

        var again = await engine.Manager.ApproveOverrunAsync(id, 1m, "ann");
        again.Succeeded.ShouldBeTrue("the project's day is still spent: an overrun can be approved ahead of the next turn");
        var refused = await engine.Manager.ApproveOverrunAsync(id, -1m, "ann");
        (refused.Outcome, refused.Field).ShouldBe((CommandOutcome.Invalid, "amountUsd"));
    }

    [Fact]
    public async Task ApproveOverrun_WithNoBudgetSpent_IsRefused()
    {
        await using var engine = await Engine.StartAsync();
        var id = await CreateAsync(engine, Script(Usage(0.1m), Say("a")), budgetUsd: 5m);
        await engine.WaitForStatusAsync(id, SessionStatus.Idle);

        var refused = await engine.Manager.ApproveOverrunAsync(id, null, "ann");

        refused.Outcome.ShouldBe(CommandOutcome.InvalidState);
        refused.Message.ShouldBe("No budget that covers this session is spent: there is no overrun to approve.");
    }

    [Fact]
    public async Task IdleSession_WhoseBudgetIsLowered_RefusesAMessage_UntilAnOverrunIsApproved()
    {
        await using var engine = await Engine.StartAsync();
        var id = await CreateAsync(engine, Script(Usage(0.5m), Say("a")), budgetUsd: 5m);
        await engine.WaitForStatusAsync(id, SessionStatus.Idle);
        await SetAsync(engine, BudgetScopes.Session, id, BudgetPeriods.None, 0.4m);

        var refused = await engine.Manager.SendMessageAsync(id, "more", "ann");
        (refused.Outcome, refused.Code).ShouldBe((CommandOutcome.InvalidState, ErrorCodes.BudgetExceeded));

        (await engine.Manager.ApproveOverrunAsync(id, null, "ann")).Succeeded.ShouldBeTrue();
        (await engine.GetAsync(id)).Status.ShouldBe(SessionStatus.Idle, "an idle session takes its next message; nothing is sent for it");
        (await engine.Manager.SendMessageAsync(id, "more", "ann")).Succeeded.ShouldBeTrue();
        await engine.WaitForEventsAsync(id, e => Engine.Texts(e).Any(t => t.Contains("I received your message: more", StringComparison.Ordinal)), "the follow-up's reply");
    }

    [Fact]
    public async Task NewSession_AgainstASpentProjectDay_IsRefused_AndTakenOnTheNextUtcDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        await using var engine = await Engine.StartAsync(clock: clock);
        await SetAsync(engine, BudgetScopes.Project, engine.Project.Id, BudgetPeriods.Day, 1m);
        var first = await CreateAsync(engine, Script(Usage(1.2m)));
        await engine.WaitForStatusAsync(first, SessionStatus.Paused);

        var refused = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, "More.", ScriptedRuntime.RuntimeName, null, null, null), "ann", CancellationToken.None);

        (refused.SessionId, refused.Code).ShouldBe((null, ErrorCodes.BudgetExceeded));
        refused.Error.ShouldBe("$1.20 of the daily budget of project demo ($1.00) is spent (120%, UTC day 2026-06-01). Raise the limit (PUT /api/budgets) or wait for its next period.");

        clock.Advance(TimeSpan.FromHours(12));
        await CreateAsync(engine, Script(Say("a")));
        (await engine.Manager.ResumeAsync(first, "ann")).Succeeded.ShouldBeTrue("yesterday's spend no longer stops today's turns");
    }

    [Fact]
    public async Task QueuedSession_WhenABudgetRunsOutBeforeItStarts_WaitsOffTheQueue_UntilTheLimitIsRaised()
    {
        await using var engine = await Engine.StartAsync();
        var (manager, scheduler) = engine.AddManager(1, gate: new ApprovalGate());
        var budget = await SetAsync(engine, BudgetScopes.Project, engine.Project.Id, BudgetPeriods.Day, 1m);
        var first = await CreateAsync(engine, Script(new { tool = new { name = "Bash", input = new { command = "git push" } } }, Usage(1.5m), Say("pushed")), manager: manager);
        await engine.WaitForStatusAsync(first, SessionStatus.Waiting);
        var second = await CreateAsync(engine, Script(Usage(0.1m), Say("second")), manager: manager);
        (await engine.GetAsync(second)).Status.ShouldBe(SessionStatus.Queued);

        var approval = (await engine.ReadModel.ListApprovalsAsync(new ItemQuery("pending", first))).Items.ShouldHaveSingleItem();
        (await manager.ApproveAsync(approval.Id, null, null, "ann", CancellationToken.None)).Succeeded.ShouldBeTrue();
        await engine.WaitForStatusAsync(first, SessionStatus.Paused);

        var held = await engine.WaitForEventsAsync(second, e => Reached(e, EventTypes.BudgetExceeded).Length == 1, "the queued session told it waits for the budget");
        Reached(held, EventTypes.BudgetExceeded).Single().Queued.ShouldBe(true);
        var waiting = await engine.GetAsync(second);
        (waiting.Status, waiting.Reason).ShouldBe((SessionStatus.Queued, "budget"));
        scheduler.ActiveCount.ShouldBe(0, "neither the paused nor the held session keeps a slot");
        scheduler.QueuedCount.ShouldBe(0);

        await engine.Budgets.UpsertAsync(budget with { LimitUsd = 5m });
        manager.BudgetsChanged();

        var idle = await engine.WaitForStatusAsync(second, SessionStatus.Idle);
        idle.Reason.ShouldBe("turn finished");
        Engine.Texts(await engine.EventsAsync(second)).ShouldBe(["second"]);
        (await engine.GetAsync(first)).Status.ShouldBe(SessionStatus.Paused, "a raised limit lets a paused session be resumed; it does not resume it");
    }

    [Fact]
    public async Task TurnTheSessionStartsItself_WhileABudgetIsSpent_WaitsPausedWithItsMessage()
    {
        await using var engine = await Engine.StartAsync();
        var phased = await CreateAsync(engine, Script(Say("Part one.\n=== PHASE 1 COMPLETE ===\n")));
        var held = await engine.WaitForStatusAsync(phased, SessionStatus.Waiting);
        var budget = await SetAsync(engine, BudgetScopes.Project, engine.Project.Id, BudgetPeriods.Day, 1m);
        var spender = await CreateAsync(engine, Script(Usage(1m)));
        await engine.WaitForStatusAsync(spender, SessionStatus.Paused);

        var review = (await engine.ReadModel.ListReviewsAsync(new ItemQuery("pending", phased))).Items.ShouldHaveSingleItem();
        (await engine.Manager.DecideReviewAsync(review.Id, approved: true, null, "ann", CancellationToken.None)).Succeeded.ShouldBeTrue();

        var paused = await engine.WaitForStatusAsync(phased, SessionStatus.Paused);
        paused.Reason.ShouldBe("budget");
        (await engine.EventsAsync(phased)).ShouldNotContain(e => e.Type == EventTypes.UserMessage && e.Data.GetProperty("text").GetString()!.Contains("next phase", StringComparison.Ordinal));

        await engine.Budgets.UpsertAsync(budget with { LimitUsd = 3m });
        (await engine.Manager.ResumeAsync(phased, "ann")).Succeeded.ShouldBeTrue();

        await engine.WaitForEventsAsync(phased, e => Engine.Texts(e).Any(t => t.Contains("I received your message: The phase was approved", StringComparison.Ordinal)),
            "the next phase's message, sent once resumed");
        await engine.WaitForStatusAsync(phased, SessionStatus.Idle);
    }
}
