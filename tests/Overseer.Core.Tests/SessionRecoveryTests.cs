using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents;
using Overseer.Core.Safety;
using Overseer.Core.Sessions;
using Overseer.Storage;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Core.Tests.Engine;

namespace Overseer.Core.Tests;

/// <summary>
/// Sessions outliving their process: what people were asked stays open across a restart (a crash
/// is a second manager over the same store while the first is never stopped; a clean stop is the
/// first manager shutting down), and timers run on the session's <see cref="TimeProvider"/>.
/// </summary>
public sealed class SessionRecoveryTests
{
    public static TheoryData<string, bool> Kinds => new()
    {
        { "tool-question", false }, { "tool-question", true },
        { "plan-review", false }, { "plan-review", true },
        { "text-question", false }, { "text-question", true },
        { "phase-review", false }, { "phase-review", true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task RecoverAsync_SessionWaitingOnAPerson_KeepsTheItemOpenAndAnsweringResumesWithTheAnswer(string kind, bool crash)
    {
        await using var engine = await Engine.StartAsync();
        var script = kind switch
        {
            "tool-question" => """[{"ask": {"question": "Which part?"}}]""",
            "plan-review" => """[{"plan": "1. Read the code. 2. Fix it."}]""",
            "text-question" => """[{"say": "[USER_QUESTION]\ncategory: business\nquestion: Which part?\noptions: [the API, the UI]\n[/USER_QUESTION]\n"}]""",
            _ => """[{"say": "Done with the first part.\n=== PHASE 1 COMPLETE ===\n"}]""",
        };
        var id = await engine.CreateSessionAsync(script);
        await engine.WaitForStatusAsync(id, Waiting);
        var item = (await Poll.UntilAsync(() => engine.ReadModel.ListPendingAsync(id), i => i.Count > 0, "the item to open")).ShouldHaveSingleItem();
        if (!crash)
            await engine.Manager.ShutdownAsync(CancellationToken.None);
        var (restarted, _) = engine.AddManager(maxConcurrent: 4);

        await restarted.RecoverAsync(CancellationToken.None);

        var held = await engine.GetAsync(id);
        held.Status.ShouldBe(Waiting);
        (await engine.ReadModel.ListPendingAsync(id)).ShouldHaveSingleItem().Id.ShouldBe(item.Id);
        var answered = item.Kind == PendingKind.Question
            ? await restarted.AnswerQuestionAsync(item.Id, Answers(("Which part?", "\"the API\"")), By, CancellationToken.None)
            : await restarted.DecideReviewAsync(item.Id, approved: true, null, By, CancellationToken.None);
        answered.Outcome.ShouldBe(CommandOutcome.Done);

        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        var afterAnswer = events.SkipWhile(e => e.Type is not (EventTypes.QuestionAnswered or EventTypes.ReviewDecided)).ToList();
        var message = afterAnswer.First(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text;
        message.ShouldBe(kind switch
        {
            "plan-review" => "Your plan was approved. Go ahead with it.",
            "phase-review" => new SessionOptions().NextPhasePrompt,
            _ => "Answer to your question \"Which part?\": the API",
        });
        // The conversation goes on in the same agent conversation, resumed.
        afterAnswer.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!.Resumed.ShouldBeTrue();
        Texts(afterAnswer).Last().ShouldContain(message);
        (await engine.ReadModel.ListPendingAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RecoverAsync_OneOfTwoQuestionsAnsweredBeforeACrash_TheNextMessageCarriesBothAnswers()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""
            [{"say": "[USER_QUESTION]\ncategory: business\nquestion: Which part?\noptions: [the API, the UI]\n[/USER_QUESTION]\n[USER_QUESTION]\ncategory: business\nquestion: Which colour?\noptions: [red, blue]\n[/USER_QUESTION]\n"}]
            """);
        await engine.WaitForStatusAsync(id, Waiting);
        await Poll.UntilAsync(() => engine.ReadModel.ListPendingAsync(id), i => i.Count == 2, "both questions to open");
        var asked = (await engine.EventsAsync(id)).Where(e => e.Type == EventTypes.QuestionAsked)
            .Select(e => e.Data.Deserialize(OverseerJson.Default.QuestionAskedData)!).ToList();
        var part = asked.Single(q => q.Questions[0].Question == "Which part?");
        (await engine.Manager.AnswerQuestionAsync(part.QuestionId, Answers(("Which part?", "\"the API\"")), By, CancellationToken.None)).Outcome.ShouldBe(CommandOutcome.Done);
        var (restarted, _) = engine.AddManager(maxConcurrent: 4);

        await restarted.RecoverAsync(CancellationToken.None);
        var colour = (await engine.ReadModel.ListPendingAsync(id)).ShouldHaveSingleItem();
        colour.Id.ShouldBe(asked.Single(q => q.Questions[0].Question == "Which colour?").QuestionId);
        (await restarted.AnswerQuestionAsync(colour.Id, Answers(("Which colour?", "\"blue\"")), By, CancellationToken.None)).Outcome.ShouldBe(CommandOutcome.Done);

        await engine.WaitForStatusAsync(id, Idle);
        var message = (await engine.EventsAsync(id)).Last(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text;
        message.ShouldContain("Answer to your question \"Which part?\": the API");
        message.ShouldContain("Answer to your question \"Which colour?\": blue");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecoverAsync_ApprovalWhoseProcessIsGone_ExpiresWithAReasonAndTheAgentIsToldOnResume(bool crash)
    {
        await using var engine = await Engine.StartAsync();
        var (manager, _) = engine.AddManager(maxConcurrent: 4, gate: new ApprovalGate());
        var id = await engine.CreateSessionAsync("""[{"tool": {"name": "Bash", "input": {"command": "git push"}}}]""", manager: manager);
        await engine.WaitForStatusAsync(id, Waiting);
        var approval = (await Poll.UntilAsync(() => engine.ReadModel.ListPendingAsync(id), i => i.Count > 0, "the approval")).ShouldHaveSingleItem();
        approval.Kind.ShouldBe(PendingKind.Approval);
        if (!crash)
            await manager.ShutdownAsync(CancellationToken.None);
        var (restarted, _) = engine.AddManager(maxConcurrent: 4);

        await restarted.RecoverAsync(CancellationToken.None);

        var expired = (await engine.ReadModel.GetApprovalAsync(approval.Id)).ShouldNotBeNull();
        expired.Status.ShouldBe(ApprovalDecisions.Expired);
        expired.DecisionReason.ShouldNotBeNull().ShouldContain("process");
        (await engine.GetAsync(id)).Status.ShouldBe(Interrupted);
        (await engine.ReadModel.ListPendingAsync(id)).ShouldBeEmpty();
        (await restarted.ApproveAsync(approval.Id, null, null, By, CancellationToken.None)).Outcome.ShouldBe(CommandOutcome.InvalidState);

        (await restarted.SendMessageAsync(id, "carry on", By)).Outcome.ShouldBe(CommandOutcome.Done);

        await engine.WaitForStatusAsync(id, Idle);
        var told = (await engine.EventsAsync(id)).Last(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text;
        told.ShouldStartWith("Your request to use Bash was not decided and did not run: ");
        told.ShouldEndWith("carry on");
        // Told once: the next message is the person's alone.
        (await restarted.SendMessageAsync(id, "again", By)).Outcome.ShouldBe(CommandOutcome.Done);
        await Poll.UntilAsync(() => engine.EventsAsync(id), e => e.Count(x => x.Type == EventTypes.SessionIdle) >= 2, "the second turn");
        (await engine.EventsAsync(id)).Last(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text.ShouldBe("again");
    }

    [Fact]
    public async Task ApprovalTimeout_NotDecidedInTime_IsDeniedWhenTheFakeClockPassesIt()
    {
        await using var engine = await Engine.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var (manager, _) = engine.AddManager(maxConcurrent: 4, gate: new ApprovalGate(), time: time);
        var id = await engine.CreateSessionAsync("""[{"tool": {"name": "Bash", "input": {"command": "git push"}}}]""", manager: manager);
        await engine.WaitForStatusAsync(id, Waiting);
        var approval = (await Poll.UntilAsync(() => engine.ReadModel.ListApprovalsAsync(new ItemQuery("pending", id)), p => p.Items.Count > 0, "the approval")).Items.Single();
        approval.ExpiresAt.ShouldBe(time.GetUtcNow() + new SessionOptions().ApprovalTimeout);
        await SessionHibernationTests.ActorCaughtUpAsync(manager, id);

        time.Advance(TimeSpan.FromMinutes(29));
        (await engine.ReadModel.GetApprovalAsync(approval.Id)).ShouldNotBeNull().Status.ShouldBe("pending");
        time.Advance(TimeSpan.FromMinutes(1));

        await engine.WaitForStatusAsync(id, Idle);
        var denied = (await engine.ReadModel.GetApprovalAsync(approval.Id)).ShouldNotBeNull();
        denied.Status.ShouldBe("denied");
        denied.How.ShouldBe("timeout");
    }

    [Fact]
    public async Task RecoverAsync_RateLimitedSession_StaysRateLimitedAcrossARestartAndContinuesAtItsReset()
    {
        await using var engine = await Engine.StartAsync();
        var start = DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var reset = start.AddHours(1);
        var before = new FakeTimeProvider(start);
        var (manager, _) = engine.AddManager(maxConcurrent: 4, time: before, runtimes: LimitedOnce(reset));
        var id = await engine.CreateSessionAsync(manager, "limited");
        await engine.WaitForStatusAsync(id, SessionStatus.RateLimited);
        // The crashed server's clock never moves again: only the new server can continue the session.
        var after = new FakeTimeProvider(start.AddMinutes(5));
        var (restarted, _) = engine.AddManager(maxConcurrent: 4, time: after, runtimes: LimitedOnce(reset));

        await restarted.RecoverAsync(CancellationToken.None);

        var limited = await engine.GetAsync(id);
        limited.Status.ShouldBe(SessionStatus.RateLimited);
        limited.RateLimitedUntil.ShouldBe(reset);
        after.Advance(TimeSpan.FromMinutes(54));
        await Task.Delay(100);
        (await engine.GetAsync(id)).Status.ShouldBe(SessionStatus.RateLimited);

        after.Advance(TimeSpan.FromMinutes(1));

        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        var resumed = events.SkipWhile(e => e.Type != EventTypes.SessionRateLimited).Skip(1).ToList();
        StateChange(resumed.First(IsStateChange)).ShouldBe(new StateChangeData(SessionStatus.RateLimited, Running, "the rate limit has reset"));
        resumed.First(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text.ShouldBe(new SessionOptions().ResumePrompt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RecoverAsync_ResumeInterruptedOnStart_ResumesCutOffSessionsWithTheResumePromptOneSlotAtATime(bool crash)
    {
        await using var engine = await Engine.StartAsync();
        var first = await engine.CreateSessionAsync("""[{"sleep": 600000}]""");
        var second = await engine.CreateSessionAsync("""[{"sleep": 600000}]""", priority: 5);
        var idle = await engine.CreateSessionAsync("""[{"say": "done"}]""");
        await engine.WaitForStatusAsync(first, Running);
        await engine.WaitForStatusAsync(second, Running);
        await engine.WaitForStatusAsync(idle, Idle);
        if (!crash)
            await engine.Manager.ShutdownAsync(CancellationToken.None);
        var (restarted, scheduler) = engine.AddManager(maxConcurrent: 1, configure: o => o.ResumeInterruptedOnStart = true);

        await restarted.RecoverAsync(CancellationToken.None);

        foreach (var id in new[] { first, second })
        {
            await engine.WaitForStatusAsync(id, Idle);
            var after = (await engine.EventsAsync(id)).SkipWhile(e => e.Type != EventTypes.SessionInterrupted).ToList();
            after.Select(e => e.Type).Take(3).ShouldBe([EventTypes.SessionInterrupted, EventTypes.SessionResumed, EventTypes.UserMessage]);
            StateChange(after[0]).Cause.ShouldBe(crash ? InterruptionCause.Crash : InterruptionCause.Stop, "what cut it off is stored with the interruption");
            after[2].Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text.ShouldBe(new SessionOptions().ResumePrompt);
            after.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!.Resumed.ShouldBeTrue();
        }
        // One slot: the higher priority went first, and the idle session was left alone.
        var resumed = (await engine.Store.ReadAsync(0, 10_000)).Where(e => e.Type == EventTypes.SessionResumed).Select(e => e.SessionId).ToList();
        resumed.ShouldBe([second, first]);
        (await engine.StatusesAsync(idle)).Last().ShouldBe(Idle);
        // The slot is released just after the idle state is stored.
        await Poll.UntilAsync(() => Task.FromResult(scheduler.ActiveCount), n => n == 0, "the slot to be released");
    }

    /// <summary>An agent whose first turn hits a 429 that resets at <paramref name="reset"/>; every later turn just ends.</summary>
    private static FakeRuntime LimitedOnce(DateTimeOffset reset) => new("limited", async (sink, text) =>
    {
        if (text == "Work.")
        {
            await sink.EmitAsync(new Agents.RateLimited(reset, "429: rate limited"), CancellationToken.None);
            return;
        }
        await sink.EmitAsync(new AgentTextEmitted("continuing"), CancellationToken.None);
        await sink.EmitAsync(new TurnEnded(), CancellationToken.None);
    });
}
