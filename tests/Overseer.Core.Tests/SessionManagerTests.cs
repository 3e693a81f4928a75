using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Core.Tests.Engine;

namespace Overseer.Core.Tests;

public sealed class SessionManagerTests
{
    private const string LongSleep = """[{"sleep": 600000}]""";

    [Fact]
    public async Task CreateAsync_SayAndUsageScript_EndsIdleWithUsageTotals()
    {
        await using var engine = await Engine.StartAsync();

        var id = await engine.CreateSessionAsync(
            """
            [
              {"say": "hello"},
              {"usage": {"inputTokens": 100, "outputTokens": 20, "costUsd": 0.5, "model": "m1"}},
              {"usage": {"inputTokens": 10, "outputTokens": 5, "costUsd": 0.25}}
            ]
            """, prompt: "Greet me.");

        var session = await engine.WaitForStatusAsync(id, Idle);
        session.Usage.ShouldBe(new UsageDto(110, 25, 0.75m));
        session.Reason.ShouldBe("turn finished");
        session.StartedAt.ShouldNotBeNull();
        session.EndedAt.ShouldBeNull();
        session.AgentSessionId.ShouldBe("scripted-" + id);
        session.Runtime.ShouldBe("scripted");
        session.Prompt.ShouldBe("Greet me.");
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Idle]);

        var events = await engine.EventsAsync(id);
        events.Select(e => e.Type).ShouldBe(
        [
            EventTypes.SessionCreated, EventTypes.SessionQueued, EventTypes.SessionStarting, EventTypes.SessionStarted,
            EventTypes.UserMessage, EventTypes.AgentStarted, EventTypes.AgentText, EventTypes.UsageUpdated, EventTypes.UsageUpdated,
            EventTypes.SessionIdle,
        ]);
        events.Select(e => e.SessionSeq).ShouldBe(Enumerable.Range(1, events.Count).Select(n => (long)n));
        events.Single(e => e.Type == EventTypes.UserMessage).Data.Deserialize(OverseerJson.Default.UserMessageData)
            .ShouldBe(new UserMessageData("Greet me.", By));
        Texts(events).ShouldBe(["hello"]);
        var lastUsage = events.Last(e => e.Type == EventTypes.UsageUpdated).Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!;
        lastUsage.InputTokens.ShouldBe(10);
        lastUsage.Turn.ShouldBe(new UsageTotals(110, 25, 0, 0.75m));
        lastUsage.Total.ShouldBe(new UsageTotals(110, 25, 0, 0.75m));
    }

    [Fact]
    public async Task CreateAsync_ToolStep_RecordsTheCallAndItsResult()
    {
        await using var engine = await Engine.StartAsync();

        var id = await engine.CreateSessionAsync("""[{"tool": {"name": "Bash", "input": {"command": "ls"}, "output": "README.md"}}]""");

        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        var call = events.Single(e => e.Type == EventTypes.ToolCall).Data.Deserialize(OverseerJson.Default.ToolCallData)!;
        call.Name.ShouldBe("Bash");
        call.Input.GetProperty("command").GetString().ShouldBe("ls");
        var decided = events.Single(e => e.Type == EventTypes.ToolDecided).Data.Deserialize(OverseerJson.Default.ToolDecisionData)!;
        decided.ToolUseId.ShouldBe(call.ToolUseId);
        decided.Decision.ShouldBe("allow");
        events.Select(e => e.Type).Where(t => t.StartsWith("tool.", StringComparison.Ordinal)).ShouldBe([EventTypes.ToolCall, EventTypes.ToolDecided, EventTypes.ToolResult]);
        var result = events.Single(e => e.Type == EventTypes.ToolResult).Data.Deserialize(OverseerJson.Default.ToolResultData)!;
        result.ShouldBe(new ToolResultData(call.ToolUseId, "README.md", false));
    }

    [Fact]
    public async Task CreateAsync_ToolDeniedByTheGate_RecordsTheDenialAndTheAgentSeesIt()
    {
        await using var engine = await Engine.StartAsync();
        var gate = new DenyingToolGate("pushing is not allowed");
        var (manager, _) = engine.AddManager(maxConcurrent: 4, gate: gate);

        var id = await engine.CreateSessionAsync("""[{"tool": {"name": "Bash", "input": {"command": "git push"}, "output": "pushed"}}]""", manager: manager);

        await engine.WaitForStatusAsync(id, Idle);
        var request = gate.Requests.ShouldHaveSingleItem();
        request.SessionId.ShouldBe(id);
        request.ProjectPath.ShouldBe(engine.Project.Path);
        request.Tool.Name.ShouldBe("Bash");
        var events = await engine.EventsAsync(id);
        var call = events.Single(e => e.Type == EventTypes.ToolCall).Data.Deserialize(OverseerJson.Default.ToolCallData)!;
        var decided = events.Single(e => e.Type == EventTypes.ToolDecided).Data.Deserialize(OverseerJson.Default.ToolDecisionData)!;
        decided.ToolUseId.ShouldBe(call.ToolUseId);
        decided.Decision.ShouldBe("deny");
        decided.Tier.ShouldBe("dangerous");
        decided.Reason.ShouldBe("pushing is not allowed");
        var result = events.Single(e => e.Type == EventTypes.ToolResult).Data.Deserialize(OverseerJson.Default.ToolResultData)!;
        result.ShouldBe(new ToolResultData(call.ToolUseId, "Denied: pushing is not allowed", true));
    }

    [Fact]
    public async Task CreateAsync_ToolOutputPastThePreview_IsItsHeadWithTheWholeOutputInABlob()
    {
        await using var engine = await Engine.StartAsync();
        var preview = new SessionOptions().EventPreviewChars;
        var output = new string('x', preview) + "the tail is kept too";

        var id = await engine.CreateSessionAsync("[{\"tool\": {\"name\": \"Read\", \"output\": \"" + output + "\"}}]");

        await engine.WaitForStatusAsync(id, Idle);
        var result = (await engine.EventsAsync(id)).Single(e => e.Type == EventTypes.ToolResult).Data.Deserialize(OverseerJson.Default.ToolResultData)!;
        result.Output.ShouldBe(output[..preview]);
        result.Truncated.ShouldBe(true);
        result.FullLength.ShouldBe(output.Length);
        var blob = await new Storage.Sqlite.SqliteBlobReader(engine.Database).ReadBlobAsync(id, result.BlobId.ShouldNotBeNull());
        System.Text.Encoding.UTF8.GetString(blob.ShouldNotBeNull()).ShouldBe(output);
    }

    [Fact]
    public async Task CreateAsync_AgentCannotStart_FailsAndFreesTheSlot()
    {
        await using var engine = await Engine.StartAsync();
        var (manager, scheduler) = engine.AddManager(maxConcurrent: 1, runtimes: new FakeRuntime("broken", startError: new InvalidOperationException("binary not found")));
        var broken = await engine.CreateSessionAsync(manager, "broken");
        var next = await engine.CreateSessionAsync("""[{"say": "my turn"}]""", manager: manager);

        var failed = await engine.WaitForStatusAsync(broken, Failed);

        failed.Reason.ShouldBe("The broken agent could not start: binary not found");
        (await engine.StatusesAsync(broken)).ShouldBe([Queued, Starting, Failed]);
        await engine.WaitForStatusAsync(next, Idle);
        // The slot is released just after the idle state is stored, not before it.
        await Poll.UntilAsync(() => Task.FromResult(scheduler.ActiveCount), n => n == 0, "every slot to be free");
    }

    [Fact]
    public async Task CreateAsync_AgentExitsMidTurn_FailsWithTheExitCode()
    {
        await using var engine = await Engine.StartAsync();
        var (manager, _) = engine.AddManager(maxConcurrent: 4, runtimes: new FakeRuntime("crashing", async (sink, _) =>
        {
            await sink.EmitAsync(new Agents.AgentTextEmitted("working"), CancellationToken.None);
            await sink.EmitAsync(new Agents.AgentExited(137, "killed by the OOM killer"), CancellationToken.None);
        }));

        var id = await engine.CreateSessionAsync(manager, "crashing");

        var failed = await engine.WaitForStatusAsync(id, Failed);
        failed.Reason.ShouldBe("The agent exited unexpectedly with code 137. killed by the OOM killer");
        var events = await engine.EventsAsync(id);
        events.Single(e => e.Type == EventTypes.AgentExited).Data.Deserialize(OverseerJson.Default.AgentExitedData)
            .ShouldBe(new AgentExitedData(137, "killed by the OOM killer"));
        (await engine.Manager.SendMessageAsync(id, "try again", By)).Outcome.ShouldBe(CommandOutcome.InvalidState);
    }

    [Fact]
    public async Task DeleteProject_WithASessionThatHasNotEnded_IsRefusedUntilItIsClosed()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"say": "done"}]""");
        await engine.WaitForStatusAsync(id, Idle);

        var refused = await engine.Projects.DeleteAsync(engine.Project.Id, By, CancellationToken.None);
        (await engine.Manager.CloseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);
        var deleted = await engine.Projects.DeleteAsync(engine.Project.Id, By, CancellationToken.None);

        refused.Code.ShouldBe(ErrorCodes.ProjectInUse);
        deleted.Error.ShouldBeNull();
        (await engine.ReadModel.GetProjectAsync(engine.Project.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task CreateAsync_FailStep_EndsFailedWithTheError()
    {
        await using var engine = await Engine.StartAsync();

        var id = await engine.CreateSessionAsync("""[{"say": "trying"}, {"fail": "the build broke"}, {"say": "never said"}]""");

        var session = await engine.WaitForStatusAsync(id, Failed);
        session.Reason.ShouldBe("the build broke");
        session.EndedAt.ShouldNotBeNull();
        var events = await engine.EventsAsync(id);
        Texts(events).ShouldBe(["trying"]);
        var failed = StateChange(events.Single(e => e.Type == EventTypes.SessionFailed));
        failed.From.ShouldBe(Running);
        failed.To.ShouldBe(Failed);
        failed.Error.ShouldBe("the build broke");
    }

    [Fact]
    public async Task CloseAsync_FailedSession_Completes()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"fail": "no"}]""");
        await engine.WaitForStatusAsync(id, Failed);

        (await engine.Manager.CloseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var session = await engine.GetAsync(id);
        session.Status.ShouldBe(Completed);
        session.EndedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task CloseAsync_IdleSession_CompletesAndRefusesFurtherMessages()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"say": "done"}]""");
        await engine.WaitForStatusAsync(id, Idle);

        (await engine.Manager.CloseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var session = await engine.GetAsync(id);
        session.Status.ShouldBe(Completed);
        session.Reason.ShouldBe("closed by " + By);
        session.EndedAt.ShouldNotBeNull();
        (await engine.Manager.SendMessageAsync(id, "one more thing", By)).Outcome.ShouldBe(CommandOutcome.InvalidState);
    }

    [Fact]
    public async Task AnswerQuestionAsync_PendingQuestion_TakesTheSessionBackToRunningThenIdle()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Which part?", "options": ["Parser", "Tests"]}}, {"say": "on it"}]""");

        var waiting = await engine.WaitForStatusAsync(id, Waiting);
        waiting.Pending.Questions.ShouldBe(1);
        var question = await engine.WaitForPendingQuestionAsync(id);
        question.SessionId.ShouldBe(id);
        var item = question.Questions.ShouldHaveSingleItem();
        item.Question.ShouldBe("Which part?");
        item.Options.Select(o => o.Label).ShouldBe(["Parser", "Tests"]);

        var result = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which part?", "\"Tests\"")), By, CancellationToken.None);

        result.Outcome.ShouldBe(CommandOutcome.Done);
        var idle = await engine.WaitForStatusAsync(id, Idle);
        idle.Pending.Questions.ShouldBe(0);
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Waiting, Running, Idle]);
        var events = await engine.EventsAsync(id);
        Texts(events).ShouldBe(["You answered: Tests", "on it"]);
        var answered = (await engine.ReadModel.GetQuestionAsync(question.Id)).ShouldNotBeNull();
        answered.Status.ShouldBe("answered");
        answered.Answers.ShouldNotBeNull()["Which part?"].GetString().ShouldBe("Tests");
        events.Single(e => e.Type == EventTypes.QuestionAnswered).Data.Deserialize(OverseerJson.Default.QuestionAnsweredData)!.By.ShouldBe(By);

        var again = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which part?", "\"Parser\"")), By, CancellationToken.None);
        again.Outcome.ShouldBe(CommandOutcome.InvalidState);
    }

    [Fact]
    public async Task AnswerQuestionAsync_MultiSelect_TheAgentSeesEveryLabel()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Which checks?", "multiSelect": true, "options": ["Lint", "Unit", "E2E"]}}]""");
        var question = await engine.WaitForPendingQuestionAsync(id);

        var result = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which checks?", """["Lint", "E2E"]""")), By, CancellationToken.None);

        result.Outcome.ShouldBe(CommandOutcome.Done);
        await engine.WaitForStatusAsync(id, Idle);
        Texts(await engine.EventsAsync(id)).ShouldBe(["You answered: Lint, E2E"]);
    }

    [Fact]
    public async Task AnswerQuestionAsync_InvalidAnswers_AreRefusedAndTheQuestionStaysPending()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Which part?", "options": ["Parser", "Tests"]}}]""");
        var question = await engine.WaitForPendingQuestionAsync(id);

        var wrongKey = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which?", "\"Tests\"")), By, CancellationToken.None);
        var empty = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which part?", "\"\"")), By, CancellationToken.None);
        var missing = await engine.Manager.AnswerQuestionAsync(question.Id, null, By, CancellationToken.None);
        var unknown = await engine.Manager.AnswerQuestionAsync("q_doesnotexist", Answers(("Which part?", "\"Tests\"")), By, CancellationToken.None);

        wrongKey.Outcome.ShouldBe(CommandOutcome.Invalid);
        wrongKey.Code.ShouldBe(ErrorCodes.InvalidAnswer);
        wrongKey.Message.ShouldNotBeNull().ShouldContain("'Which?'");
        empty.Outcome.ShouldBe(CommandOutcome.Invalid);
        missing.Outcome.ShouldBe(CommandOutcome.Invalid);
        unknown.Outcome.ShouldBe(CommandOutcome.NotFound);
        unknown.Code.ShouldBe(ErrorCodes.QuestionNotFound);
        (await engine.GetAsync(id)).Status.ShouldBe(Waiting);
        (await engine.ReadModel.GetQuestionAsync(question.Id)).ShouldNotBeNull().Status.ShouldBe("pending");
    }

    [Fact]
    public async Task PauseAsync_DuringALongSleep_PausesAndResumeRunsAgain()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);

        (await engine.Manager.PauseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var paused = await engine.GetAsync(id);
        paused.Status.ShouldBe(Paused);
        paused.Reason.ShouldBe("paused by " + By);
        (await engine.Manager.PauseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.InvalidState);
        (await engine.Manager.InterruptAsync(id, By)).Outcome.ShouldBe(CommandOutcome.InvalidState);

        (await engine.Manager.ResumeAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var resumed = await engine.GetAsync(id);
        resumed.Status.ShouldBe(Running);
        resumed.Reason.ShouldBe("resumed by " + By);
        var events = await engine.EventsAsync(id);
        events.Where(IsStateChange).Select(e => e.Type).TakeLast(2).ShouldBe([EventTypes.SessionPaused, EventTypes.SessionResumed]);
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Paused, Running]);
    }

    [Fact]
    public async Task PauseAsync_WhileWaiting_HoldsTheAgentUntilResumed()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Go on?"}}, {"say": "after the pause"}]""");
        var question = await engine.WaitForPendingQuestionAsync(id);
        await engine.WaitForStatusAsync(id, Waiting);

        (await engine.Manager.PauseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);
        (await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Go on?", "\"yes\"")), By, CancellationToken.None)).Outcome.ShouldBe(CommandOutcome.Done);
        var heldEvents = await engine.WaitForEventsAsync(id, e => Texts(e).Contains("You answered: yes"), "the agent to read the answer");

        Texts(heldEvents).ShouldNotContain("after the pause");
        (await engine.GetAsync(id)).Status.ShouldBe(Paused);

        (await engine.Manager.ResumeAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        var resumedAt = events.Single(e => e.Type == EventTypes.SessionResumed).Seq;
        events.Single(e => e.Type == EventTypes.AgentText && Texts([e])[0] == "after the pause").Seq.ShouldBeGreaterThan(resumedAt);
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Waiting, Paused, Running, Idle]);
    }

    [Fact]
    public async Task PauseAsync_WhileWaitingWithTheQuestionOpen_ResumesToWaiting()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Go on?"}}]""");
        await engine.WaitForPendingQuestionAsync(id);
        await engine.WaitForStatusAsync(id, Waiting);

        (await engine.Manager.PauseAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);
        (await engine.Manager.ResumeAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        (await engine.GetAsync(id)).Status.ShouldBe(Waiting);
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Waiting, Paused, Waiting]);
    }

    [Fact]
    public async Task InterruptAsync_DuringASleep_EndsTheTurnIdleWithReasonInterrupted()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"sleep": 600000}, {"say": "never said"}]""");
        await engine.WaitForStatusAsync(id, Running);

        (await engine.Manager.InterruptAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var session = await engine.WaitForStatusAsync(id, Idle);
        session.Reason.ShouldBe("interrupted");
        var events = await engine.EventsAsync(id);
        Texts(events).ShouldBeEmpty();
        events.Where(e => e.Type == EventTypes.UserMessage).Select(e => e.Data.Deserialize(OverseerJson.Default.UserMessageData)!.Text)
            .ShouldBe(["Look around the project.", "[interrupt]"]);
        StateChange(events.Last()).ShouldBe(new StateChangeData(Running, Idle, "interrupted"));
    }

    [Fact]
    public async Task InterruptAsync_WhileWaitingOnAQuestion_CancelsTheQuestionAndEndsIdle()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Which part?"}}]""");
        var question = await engine.WaitForPendingQuestionAsync(id);
        await engine.WaitForStatusAsync(id, Waiting);

        (await engine.Manager.InterruptAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var session = await engine.WaitForStatusAsync(id, Idle);
        session.Reason.ShouldBe("interrupted");
        session.Pending.Questions.ShouldBe(0);
        (await engine.ReadModel.GetQuestionAsync(question.Id)).ShouldNotBeNull().Status.ShouldBe("cancelled");
        var late = await engine.Manager.AnswerQuestionAsync(question.Id, Answers(("Which part?", "\"all\"")), By, CancellationToken.None);
        late.Outcome.ShouldBe(CommandOutcome.InvalidState);
    }

    [Fact]
    public async Task CancelAsync_RunningSession_EndsCancelledAndRefusesEveryFurtherCommand()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);

        (await engine.Manager.CancelAsync(id, By)).Outcome.ShouldBe(CommandOutcome.Done);

        var session = await engine.GetAsync(id);
        session.Status.ShouldBe(Cancelled);
        session.Reason.ShouldBe("cancelled by " + By);
        session.EndedAt.ShouldNotBeNull();
        CommandResult[] refused =
        [
            await engine.Manager.PauseAsync(id, By),
            await engine.Manager.ResumeAsync(id, By),
            await engine.Manager.InterruptAsync(id, By),
            await engine.Manager.SendMessageAsync(id, "hello?", By),
            await engine.Manager.CloseAsync(id, By),
            await engine.Manager.CancelAsync(id, By),
        ];
        refused.ShouldAllBe(r => r.Outcome == CommandOutcome.InvalidState && r.Code == ErrorCodes.InvalidState);
        (await engine.StatusesAsync(id)).ShouldBe([Queued, Starting, Running, Cancelled]);
    }

    [Fact]
    public async Task CancelAsync_QueuedSession_IsCancelledAndNeverStarts()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 1);
        var first = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(first, Running);
        var second = await engine.CreateSessionAsync("""[{"say": "should never run"}]""");
        (await engine.GetAsync(second)).Status.ShouldBe(Queued);

        (await engine.Manager.CancelAsync(second, By)).Outcome.ShouldBe(CommandOutcome.Done);
        (await engine.Manager.CancelAsync(first, By)).Outcome.ShouldBe(CommandOutcome.Done);

        (await engine.GetAsync(second)).Status.ShouldBe(Cancelled);
        (await engine.StatusesAsync(second)).ShouldBe([Queued, Cancelled]);
        engine.Scheduler.QueuedCount.ShouldBe(0);
        engine.Scheduler.ActiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task CancelAsync_AgentStillDeliveringOutputWhenStopped_Completes()
    {
        // Cancel stops the agent on the session's actor. An event the agent is delivering at that
        // moment is queued behind the cancel on that same actor, so the agent must not wait for
        // its reply once its own token is cancelled, or cancel never returns.
        await using var engine = await Engine.StartAsync();
        var (manager, _) = engine.AddManager(maxConcurrent: 4, runtimes: new StoppingAgentRuntime());
        var id = await engine.CreateSessionAsync(manager, StoppingAgentRuntime.RuntimeName);
        await engine.WaitForStatusAsync(id, Running);

        var cancel = manager.CancelAsync(id, By);
        var finished = await Task.WhenAny(cancel, Task.Delay(TimeSpan.FromSeconds(3))) == cancel;

        finished.ShouldBeTrue("cancel did not complete: the session's actor is waiting for the agent, which waits for the actor");
        (await cancel).Outcome.ShouldBe(CommandOutcome.Done);
        (await engine.GetAsync(id)).Status.ShouldBe(Cancelled);
    }

    [Fact]
    public async Task SendMessageAsync_IdleSession_RunsAFollowUpTurn()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"say": "first turn"}]""");
        await engine.WaitForStatusAsync(id, Idle);

        var result = await engine.Manager.SendMessageAsync(id, "and now?", By);

        result.Outcome.ShouldBe(CommandOutcome.Done);
        (await engine.WaitForStatusesAsync(id, 6)).ShouldBe([Queued, Starting, Running, Idle, Running, Idle]);
        var events = await engine.EventsAsync(id);
        events.Where(IsStateChange).Select(e => e.Type).ShouldContain(EventTypes.SessionRunning);
        events.Where(e => e.Type == EventTypes.UserMessage).Select(e => e.Data.Deserialize(OverseerJson.Default.UserMessageData))
            .ShouldBe([new UserMessageData("Look around the project.", By), new UserMessageData("and now?", By)]);
        Texts(events).Last().ShouldContain("I received your message: and now?");
        events.Count(e => e.Type == EventTypes.AgentStarted).ShouldBe(1);
    }

    [Fact]
    public async Task Commands_IdleSession_PauseResumeAndInterruptAreInvalidState()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"say": "done"}]""");
        await engine.WaitForStatusAsync(id, Idle);

        CommandResult[] results =
        [
            await engine.Manager.PauseAsync(id, By),
            await engine.Manager.ResumeAsync(id, By),
            await engine.Manager.InterruptAsync(id, By),
        ];

        results.ShouldAllBe(r => r.Outcome == CommandOutcome.InvalidState && r.Code == ErrorCodes.InvalidState);
        (await engine.GetAsync(id)).Status.ShouldBe(Idle);
    }

    [Fact]
    public async Task Commands_RunningSession_ResumeMessageAndCloseAreInvalidState()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);

        CommandResult[] results =
        [
            await engine.Manager.ResumeAsync(id, By),
            await engine.Manager.SendMessageAsync(id, "are you there?", By),
            await engine.Manager.CloseAsync(id, By),
        ];

        results.ShouldAllBe(r => r.Outcome == CommandOutcome.InvalidState && r.Code == ErrorCodes.InvalidState);
        (await engine.GetAsync(id)).Status.ShouldBe(Running);
        (await engine.EventsAsync(id)).Count(e => e.Type == EventTypes.UserMessage).ShouldBe(1);
    }

    [Fact]
    public async Task SendMessageAsync_EmptyText_IsInvalid()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"say": "done"}]""");
        await engine.WaitForStatusAsync(id, Idle);

        var result = await engine.Manager.SendMessageAsync(id, "  ", By);

        result.Outcome.ShouldBe(CommandOutcome.Invalid);
        result.Code.ShouldBe(ErrorCodes.InvalidField);
    }

    [Fact]
    public async Task Commands_UnknownSessionId_AreNotFound()
    {
        await using var engine = await Engine.StartAsync();
        const string id = "s_doesnotexist";

        CommandResult[] results =
        [
            await engine.Manager.PauseAsync(id, By),
            await engine.Manager.ResumeAsync(id, By),
            await engine.Manager.InterruptAsync(id, By),
            await engine.Manager.CancelAsync(id, By),
            await engine.Manager.CloseAsync(id, By),
            await engine.Manager.SendMessageAsync(id, "hello", By),
        ];

        results.ShouldAllBe(r => r.Outcome == CommandOutcome.NotFound && r.Code == ErrorCodes.SessionNotFound);
    }

    [Fact]
    public async Task CreateAsync_InvalidRequests_AreRefusedWithTheFieldAndNothingIsStored()
    {
        await using var engine = await Engine.StartAsync();
        var lastSeq = engine.Store.LastSeq;
        var script = Engine.Json("""[{"say": "a"}, {"ask": {"question": "q", "options": "A"}}]""");

        var badScript = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, "p", null, null, null, script), By, CancellationToken.None);
        var noProject = await engine.Manager.CreateAsync(new CreateSessionRequest("p_nope", "p", null, null, null, null), By, CancellationToken.None);
        var noPrompt = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, " ", null, null, null, null), By, CancellationToken.None);
        var badRuntime = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, "p", "gpt-9", null, null, null), By, CancellationToken.None);
        var badPriority = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, "p", null, null, 101, null), By, CancellationToken.None);

        badScript.Code.ShouldBe(ErrorCodes.InvalidScript);
        badScript.Error.ShouldNotBeNull().ShouldStartWith("script[1].ask.options");
        noProject.Code.ShouldBe(ErrorCodes.ProjectNotFound);
        noPrompt.Field.ShouldBe("prompt");
        badRuntime.Code.ShouldBe(ErrorCodes.UnknownRuntime);
        badPriority.Field.ShouldBe("priority");
        engine.Store.LastSeq.ShouldBe(lastSeq);
    }

    [Fact]
    public async Task RecoverAsync_SessionRunningWhenTheServerStopped_BecomesInterruptedAndAFollowUpResumesIt()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);
        // The first host stays alive in this simulation: let its agent get going before the "restart".
        await Poll.UntilAsync(() => engine.EventsAsync(id), events => events.Any(e => e.Type == EventTypes.AgentStarted), "the first agent to start");
        var (restarted, _) = engine.AddManager(maxConcurrent: 4);

        await restarted.RecoverAsync(CancellationToken.None);

        var interrupted = await engine.GetAsync(id);
        interrupted.Status.ShouldBe(Interrupted);
        interrupted.Reason.ShouldBe("Overseer restarted while the session was running.");
        interrupted.InterruptedBy.ShouldBe(InterruptionCause.Crash);
        StateChange((await engine.EventsAsync(id)).Last()).ShouldBe(new StateChangeData(Running, Interrupted, interrupted.Reason, Cause: InterruptionCause.Crash));

        (await restarted.SendMessageAsync(id, "carry on", By)).Outcome.ShouldBe(CommandOutcome.Done);

        (await engine.GetAsync(id)).Status.ShouldBe(Running);
        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        var after = events.SkipWhile(e => e.Type != EventTypes.SessionInterrupted).Skip(1).ToList();
        after.Select(e => e.Type).ShouldBe(
            [EventTypes.SessionResumed, EventTypes.UserMessage, EventTypes.AgentStarted, EventTypes.AgentText, EventTypes.UsageUpdated, EventTypes.SessionIdle]);
        var started = after.Single(e => e.Type == EventTypes.AgentStarted).Data.Deserialize(OverseerJson.Default.AgentStartedData)!;
        started.Resumed.ShouldBeTrue();
        started.AgentSessionId.ShouldBe("scripted-" + id);
        Texts(after).Single().ShouldContain("carry on");
    }

    [Fact]
    public async Task RecoverAsync_IdleSessionContinuedOnTheNewServer_KeepsCountingCacheReadTokens()
    {
        await using var engine = await Engine.StartAsync();
        var (before, _) = engine.AddManager(maxConcurrent: 4, runtimes: FakeRuntime.Caching());
        var id = await engine.CreateSessionAsync(before, "caching");
        await engine.WaitForStatusAsync(id, Idle);
        var (after, _) = engine.AddManager(maxConcurrent: 4, runtimes: FakeRuntime.Caching());
        await after.RecoverAsync(CancellationToken.None);

        (await after.SendMessageAsync(id, "again", By)).Outcome.ShouldBe(CommandOutcome.Done);

        await engine.WaitForStatusesAsync(id, 6);
        var usage = (await engine.EventsAsync(id)).Where(e => e.Type == EventTypes.UsageUpdated)
            .Select(e => e.Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!).ToList();
        usage.Count.ShouldBe(2);
        usage[0].Total.ShouldBe(new UsageTotals(10, 5, 100, 0.01m));
        usage[1].Total.ShouldBe(new UsageTotals(20, 10, 200, 0.02m));
    }

    [Fact]
    public async Task ShutdownAsync_SessionMidTurn_BecomesInterruptedAndNewWorkIsRefused()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 1);
        var running = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(running, Running);
        var queued = await engine.CreateSessionAsync("""[{"say": "later"}]""");

        await engine.Manager.ShutdownAsync(CancellationToken.None);

        var interrupted = await engine.GetAsync(running);
        interrupted.Status.ShouldBe(Interrupted);
        interrupted.Reason.ShouldBe("Overseer stopped while the session was running.");
        (await engine.GetAsync(queued)).Status.ShouldBe(Queued);
        var refused = await engine.Manager.CreateAsync(
            new CreateSessionRequest(engine.Project.Id, "p", null, null, null, null), By, CancellationToken.None);
        refused.Code.ShouldBe(ErrorCodes.ShuttingDown);
        (await engine.Manager.SendMessageAsync(running, "hello", By)).Outcome.ShouldBe(CommandOutcome.InvalidState);

        var (restarted, _) = engine.AddManager(maxConcurrent: 1);
        await restarted.RecoverAsync(CancellationToken.None);
        await engine.WaitForStatusAsync(queued, Idle);
        (await restarted.SendMessageAsync(running, "pick up again", By)).Outcome.ShouldBe(CommandOutcome.Done);
        await engine.WaitForStatusAsync(running, Idle);
    }

    [Fact]
    public async Task RecoverAsync_QueuedSessions_AreStartedByTheNewServer()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 1);
        // A running turn holds the old server's only slot (a session waiting on a person would
        // give it up, and the old server would start the queued one itself).
        var blocker = await engine.CreateSessionAsync("""[{"sleep": 60000}]""");
        await engine.WaitForStatusAsync(blocker, Running);
        var queued = await engine.CreateSessionAsync("""[{"say": "my turn"}]""");
        (await engine.GetAsync(queued)).Status.ShouldBe(Queued);
        var (restarted, _) = engine.AddManager(maxConcurrent: 1);

        await restarted.RecoverAsync(CancellationToken.None);

        await engine.WaitForStatusAsync(queued, Idle);
        Texts(await engine.EventsAsync(queued)).ShouldBe(["my turn"]);
        // The turn the old server was running when it went is interrupted, not resumed twice.
        (await engine.GetAsync(blocker)).Status.ShouldBe(Interrupted);
    }

    [Fact]
    public async Task CreateAsync_FourSessionsWithTwoSlots_NeverRunMoreThanTwoAndAllEndIdle()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 2);
        using var watch = new ActiveWatcher(engine);

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
            ids.Add(await engine.CreateSessionAsync("""[{"sleep": 100}, {"say": "done"}]"""));

        foreach (var id in ids)
            await engine.WaitForStatusAsync(id, Idle);
        await watch.StopAsync();
        watch.MaxActive.ShouldBeLessThanOrEqualTo(2);
        (await MaxActiveInLogAsync(engine)).ShouldBeLessThanOrEqualTo(2);
        foreach (var id in ids)
            Texts(await engine.EventsAsync(id)).ShouldBe(["done"]);
    }

    [Fact]
    public async Task CreateAsync_SlotsHeldByApprovals_QueueTheRestAndAdmitHighestPriorityFirst()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 2);
        var (manager, _) = engine.AddManager(maxConcurrent: 2, gate: new NeedsApprovalGate());
        using var watch = new ActiveWatcher(engine);
        const string tool = """[{"tool": {"name": "Bash", "input": {"command": "git push"}}}, {"say": "finished"}]""";
        var first = await engine.CreateSessionAsync(tool, manager: manager);
        var second = await engine.CreateSessionAsync(tool, manager: manager);
        var low = await engine.CreateSessionAsync(tool, priority: 0, manager: manager);
        var high = await engine.CreateSessionAsync(tool, priority: 5, manager: manager);
        await engine.WaitForStatusAsync(first, Waiting);
        await engine.WaitForStatusAsync(second, Waiting);
        (await engine.GetAsync(low)).Status.ShouldBe(Queued);
        (await engine.GetAsync(high)).Status.ShouldBe(Queued);

        await ApproveAsync(engine, manager, first);
        await engine.WaitForStatusAsync(high, Waiting);
        (await engine.GetAsync(low)).Status.ShouldBe(Queued);

        await ApproveAsync(engine, manager, second);
        await engine.WaitForStatusAsync(low, Waiting);
        await ApproveAsync(engine, manager, high);
        await ApproveAsync(engine, manager, low);

        foreach (var id in new[] { first, second, low, high })
            await engine.WaitForStatusAsync(id, Idle);
        await watch.StopAsync();
        watch.MaxActive.ShouldBeLessThanOrEqualTo(2);
        (await MaxActiveInLogAsync(engine)).ShouldBe(2);
    }

    private static async Task ApproveAsync(Engine engine, SessionManager manager, string sessionId)
    {
        var page = await Poll.UntilAsync(() => engine.ReadModel.ListApprovalsAsync(new Storage.ItemQuery("pending", sessionId)), p => p.Items.Count > 0, $"an approval of {sessionId}");
        (await manager.ApproveAsync(page.Items.Single().Id, null, null, By, CancellationToken.None)).Outcome.ShouldBe(CommandOutcome.Done);
    }

    /// <summary>Every tool call needs a person.</summary>
    internal sealed class NeedsApprovalGate : global::Overseer.Core.Safety.IToolGate
    {
        public Task<Agents.ToolDecision> DecideAsync(global::Overseer.Core.Safety.ToolGateRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new Agents.ToolDecision(false, "pushes to a remote", "ORANGE", "test", NeedsApproval: true));
    }

    /// <summary>In these tests a waiting session waits at the gate, which keeps its slot.</summary>
    private static bool HoldsASlot(SessionStatus status) => status is Starting or Running or Waiting;

    /// <summary>Replays every stored state change in commit order and returns the most sessions active at once.</summary>
    private static async Task<int> MaxActiveInLogAsync(Engine engine)
    {
        var statuses = new Dictionary<string, SessionStatus>(StringComparer.Ordinal);
        var max = 0;
        foreach (var e in await engine.Store.ReadAsync(0, 10_000))
        {
            if (e.SessionId is null || !IsStateChange(e))
                continue;
            statuses[e.SessionId] = StateChange(e).To;
            max = Math.Max(max, statuses.Values.Count(HoldsASlot));
        }
        return max;
    }

    /// <summary>Polls the read model in the background and records the most sessions seen active in one snapshot.</summary>
    private sealed class ActiveWatcher : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ActiveWatcher(Engine engine)
        {
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var page = await engine.ReadModel.ListSessionsAsync(new Storage.SessionQuery(ProjectId: engine.Project.Id));
                    MaxActive = Math.Max(MaxActive, page.Items.Count(s => HoldsASlot(s.Status)));
                    await Task.Delay(2);
                }
            });
        }

        public int MaxActive { get; private set; }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public void Dispose() => _stop.Dispose();
    }
}
