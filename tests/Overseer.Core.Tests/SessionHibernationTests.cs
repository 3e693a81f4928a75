using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Core.Tests.Engine;

namespace Overseer.Core.Tests;

/// <summary>An agent with nothing to do has its process stopped; the next message, answer or decision resumes it.</summary>
public sealed class SessionHibernationTests
{
    private static readonly TimeSpan HibernateAfter = new SessionOptions().HibernateAfter;

    [Fact]
    public async Task HibernateAfter_IdleSession_StopsTheAgentAndAMessageWakesItWithResume()
    {
        await using var engine = await Engine.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var (manager, _) = engine.AddManager(maxConcurrent: 4, time: time);
        var id = await engine.CreateSessionAsync("""[{"say": "first turn"}]""", manager: manager);
        await engine.WaitForStatusAsync(id, Idle);
        await ActorCaughtUpAsync(manager, id);
        (await engine.GetAsync(id)).Hibernated.ShouldBeFalse();

        time.Advance(HibernateAfter - TimeSpan.FromSeconds(1));
        await Task.Delay(100);
        (await engine.GetAsync(id)).Hibernated.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        var hibernated = await WaitForHibernatedAsync(engine, id);
        hibernated.Status.ShouldBe(Idle);
        (await engine.EventsAsync(id)).Last().Type.ShouldBe(EventTypes.AgentHibernated);
        // Nothing of it is left in memory: its actor went with its process.
        await Poll.UntilAsync(() => Task.FromResult(manager.LiveHosts), n => n == 0, "the hibernated session's actor to go");

        (await manager.SendMessageAsync(id, "wake up", By)).Outcome.ShouldBe(CommandOutcome.Done);

        await Poll.UntilAsync(() => engine.EventsAsync(id), e => e.Count(x => x.Type == EventTypes.SessionIdle) == 2, "the second turn");
        var woken = (await engine.EventsAsync(id)).SkipWhile(e => e.Type != EventTypes.AgentHibernated).Skip(1).ToList();
        woken.Select(e => e.Type).ShouldBe([EventTypes.SessionRunning, EventTypes.UserMessage, EventTypes.AgentStarted, EventTypes.AgentText, EventTypes.UsageUpdated, EventTypes.SessionIdle]);
        woken.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!.Resumed.ShouldBeTrue();
        Texts(woken).Single().ShouldContain("wake up");
        (await engine.GetAsync(id)).Hibernated.ShouldBeFalse();
    }

    [Theory]
    [InlineData("answer")]
    [InlineData("approval")]
    public async Task HibernateAfter_SessionHeldOnAPerson_HibernatesAndTheAnswerWakesIt(string how)
    {
        await using var engine = await Engine.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var (manager, scheduler) = engine.AddManager(maxConcurrent: 4, time: time);
        var script = how == "answer"
            ? """[{"say": "[USER_QUESTION]\ncategory: scope\nquestion: Which part?\noptions: [the API, the UI]\n[/USER_QUESTION]\n"}]"""
            : """[{"say": "Part one is done.\n=== PHASE 1 COMPLETE ===\n"}]""";
        var id = await engine.CreateSessionAsync(script, manager: manager);
        await engine.WaitForStatusAsync(id, Waiting);
        var item = (await Poll.UntilAsync(() => engine.ReadModel.ListPendingAsync(id), i => i.Count > 0, "the item")).Single();
        await ActorCaughtUpAsync(manager, id);

        time.Advance(HibernateAfter);

        var held = await WaitForHibernatedAsync(engine, id);
        held.Status.ShouldBe(Waiting);
        var result = how == "answer"
            ? await manager.AnswerQuestionAsync(item.Id, Answers(("Which part?", "\"the UI\"")), By, CancellationToken.None)
            : await manager.DecideReviewAsync(item.Id, approved: true, null, By, CancellationToken.None);
        result.Outcome.ShouldBe(CommandOutcome.Done);

        try
        {
            await engine.WaitForStatusAsync(id, Idle);
        }
        catch (TimeoutException ex)
        {
            var events = await engine.EventsAsync(id);
            throw new TimeoutException(ex.Message + "; events: " + string.Join(", ", events.Select(e => e.Type + (e.Type.StartsWith("agent.error", StringComparison.Ordinal) ? " " + e.Data.GetRawText() : ""))), ex);
        }
        var woken = (await engine.EventsAsync(id)).SkipWhile(e => e.Type != EventTypes.AgentHibernated).ToList();
        woken.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!.Resumed.ShouldBeTrue();
        Texts(woken).Single().ShouldContain(how == "answer" ? "Answer to your question \"Which part?\": the UI" : new SessionOptions().NextPhasePrompt);
        // The slot is released just after the idle state is stored.
        await Poll.UntilAsync(() => Task.FromResult(scheduler.ActiveCount), n => n == 0, "the slot to be released");
    }

    [Fact]
    public async Task HibernateAsync_OnDemand_IdleHibernatesButARunningSessionOrARuntimeThatCannotResumeIsRefused()
    {
        await using var engine = await Engine.StartAsync();
        var (manager, _) = engine.AddManager(maxConcurrent: 4, runtimes: FakeRuntime.Caching());
        var idle = await engine.CreateSessionAsync("""[{"say": "done"}]""", manager: manager);
        var running = await engine.CreateSessionAsync("""[{"sleep": 600000}]""", manager: manager);
        var cannot = await engine.CreateSessionAsync(manager, "caching");
        await engine.WaitForStatusAsync(idle, Idle);
        await engine.WaitForStatusAsync(running, Running);
        await engine.WaitForStatusAsync(cannot, Idle);

        (await manager.HibernateAsync(idle, By)).Outcome.ShouldBe(CommandOutcome.Done);
        var refusedRunning = await manager.HibernateAsync(running, By);
        var refusedRuntime = await manager.HibernateAsync(cannot, By);

        var hibernated = await engine.GetAsync(idle);
        hibernated.Hibernated.ShouldBeTrue();
        var e = (await engine.EventsAsync(idle)).Last();
        e.Type.ShouldBe(EventTypes.AgentHibernated);
        e.Data.Deserialize(OverseerJson.Default.AgentHibernatedData).ShouldBe(new AgentHibernatedData("hibernated by " + By, By));
        refusedRunning.Outcome.ShouldBe(CommandOutcome.InvalidState);
        refusedRuntime.Outcome.ShouldBe(CommandOutcome.InvalidState);
        refusedRuntime.Message.ShouldNotBeNull().ShouldContain("cannot hibernate");
        (await manager.HibernateAsync(idle, By)).Outcome.ShouldBe(CommandOutcome.Done, "hibernating twice is harmless");
        (await engine.EventsAsync(idle)).Count(x => x.Type == EventTypes.AgentHibernated).ShouldBe(1);
        (await manager.SendMessageAsync(idle, "again", By)).Outcome.ShouldBe(CommandOutcome.Done);
        await Poll.UntilAsync(() => engine.EventsAsync(idle), x => x.Count(y => y.Type == EventTypes.SessionIdle) == 2, "the woken turn");
    }

    /// <summary>
    /// An approval nobody decides holds the process and its slot: once it has waited
    /// HibernateAfter (by the server's clock) it can be denied with the session hibernated, which
    /// frees both, and the next message wakes the agent with the denial in it.
    /// </summary>
    [Fact]
    public async Task DenyAndHibernate_ApprovalLeftOpen_OfferedAfterHibernateAfter_FreesTheSlotAndTheNextMessageTellsTheAgent()
    {
        await using var engine = await Engine.StartAsync();
        // The store stamps the approval with the real clock; the fake one starts there.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (manager, scheduler) = engine.AddManager(maxConcurrent: 1, gate: new ApprovalGate(), time: time);
        var id = await engine.CreateSessionAsync("""[{"tool": {"name": "Bash", "input": {"command": "git push"}}}]""", manager: manager);
        await engine.WaitForStatusAsync(id, Waiting);
        var approval = (await Poll.UntilAsync(() => engine.ReadModel.ListApprovalsAsync(new ItemQuery("pending", id)), p => p.Items.Count > 0, "the approval")).Items.Single();
        var queued = await engine.CreateSessionAsync("""[{"say": "my turn"}]""", manager: manager);
        (await engine.GetAsync(queued)).Status.ShouldBe(Queued, "the approval keeps the only slot");

        time.Advance(HibernateAfter - TimeSpan.FromMinutes(1));
        manager.DenyAndHibernateIn(approval).ShouldNotBeNull().ShouldBeGreaterThan(TimeSpan.Zero);
        var early = await manager.DenyAsync(approval.Id, "away", By, CancellationToken.None, hibernate: true);
        early.Outcome.ShouldBe(CommandOutcome.InvalidState);
        early.Message.ShouldNotBeNull().ShouldContain("offered once");
        (await engine.ReadModel.GetApprovalAsync(approval.Id)).ShouldNotBeNull().Status.ShouldBe("pending");

        time.Advance(TimeSpan.FromMinutes(2));
        manager.DenyAndHibernateIn(approval).ShouldNotBeNull().ShouldBeLessThanOrEqualTo(TimeSpan.Zero);
        (await manager.DenyAsync(approval.Id, "away until Monday", By, CancellationToken.None, hibernate: true)).Outcome.ShouldBe(CommandOutcome.Done);

        var held = await WaitForHibernatedAsync(engine, id);
        held.Status.ShouldBe(Idle);
        var denied = (await engine.ReadModel.GetApprovalAsync(approval.Id)).ShouldNotBeNull();
        denied.Status.ShouldBe("denied");
        denied.How.ShouldBe("hibernate");
        // Its slot went to the queued session.
        await engine.WaitForStatusAsync(queued, Idle);

        (await manager.SendMessageAsync(id, "carry on", By)).Outcome.ShouldBe(CommandOutcome.Done);
        await Poll.UntilAsync(() => engine.EventsAsync(id), e => e.Count(x => x.Type == EventTypes.SessionIdle) == 2, "the woken turn");
        var woken = (await engine.EventsAsync(id)).SkipWhile(e => e.Type != EventTypes.AgentHibernated).ToList();
        woken.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!.Resumed.ShouldBeTrue();
        var told = woken.Single(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text;
        told.ShouldStartWith("Your request to use Bash was denied and did not run: Denied by tester: away until Monday");
        told.ShouldEndWith("carry on");
    }

    /// <summary>
    /// A state change is stored before its actor arms a timer: a command queued behind it (resume,
    /// refused: the session is neither paused nor interrupted) returns once the actor is past it, so
    /// the fake clock moves after the timer exists.
    /// </summary>
    internal static async Task ActorCaughtUpAsync(SessionManager manager, string id) =>
        (await manager.ResumeAsync(id, By)).Outcome.ShouldBe(CommandOutcome.InvalidState);

    private static Task<SessionDto> WaitForHibernatedAsync(Engine engine, string id) =>
        Poll.UntilAsync(() => engine.GetAsync(id), s => s.Hibernated, $"session {id} to hibernate");
}
