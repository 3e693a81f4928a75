using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Scripted;
using Overseer.Core.Sessions;
using static Overseer.Contracts.Events.SessionStatus;

namespace Overseer.Core.Tests;

/// <summary>Sessions as tasks in the engine: drafts, edits, start, deletion and progress.</summary>
public sealed class SessionTaskTests
{
    private const string LongSleep = """[{"say": "working"}, {"sleep": 60000}]""";
    private static readonly ActedBy Dana = new("dana", "u_dana", "t_dana");

    private static async Task<string> DraftAsync(Engine engine, string script, string prompt = "First prompt", string? title = null, int? priority = null)
    {
        var result = await engine.Manager.CreateAsync(new CreateSessionRequest(engine.Project.Id, prompt, ScriptedRuntime.RuntimeName, null, priority, Engine.Json(script),
            Title: title, Type: "feature", Draft: true), Dana, CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.SessionId.ShouldNotBeNull();
    }

    [Fact]
    public async Task Draft_IsStoredNotStarted_ThenEditedAndStarted_RunsTheEditedPrompt()
    {
        await using var engine = await Engine.StartAsync();
        var id = await DraftAsync(engine, """[{"say": "done"}]""");

        (await engine.GetAsync(id)).Status.ShouldBe(Draft);
        (engine.Scheduler.QueuedCount, engine.Scheduler.ActiveCount).ShouldBe((0, 0), "a draft takes no place in the queue");
        (await engine.Manager.PauseAsync(id, Dana)).Message.ShouldBe($"The session is a draft: start it first (POST /api/sessions/{id}/start).");

        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Title: "Ship it", Prompt: "Edited prompt"), Dana)).ShouldBe(CommandResult.Done);
        (await engine.Manager.StartAsync(id, Dana)).ShouldBe(CommandResult.Done);

        await engine.WaitForStatusAsync(id, Idle);
        var events = await engine.EventsAsync(id);
        events.Select(e => e.Type).Take(4).ShouldBe([EventTypes.SessionCreated, EventTypes.SessionUpdated, EventTypes.SessionQueued, EventTypes.SessionStarting]);
        var update = events[1].Data.Deserialize(OverseerJson.Default.SessionUpdatedData)!;
        update.Changed.ShouldBe(["title", "prompt"]);
        (update.Title, update.Prompt, update.By, update.ByUserId).ShouldBe(("Ship it", "Edited prompt", "dana", "u_dana"));
        var started = Engine.StateChange(events[2]);
        (started.From, started.To, started.ByUserId).ShouldBe((Draft, Queued, "u_dana"));
        events.Single(e => e.Type == EventTypes.UserMessage).Data.GetProperty("text").GetString().ShouldBe("Edited prompt");
        (await engine.GetAsync(id)).Title.ShouldBe("Ship it");
    }

    [Fact]
    public async Task Start_SeveralAtOnce_StartsTheDraftOnce_AndANonDraftIsInvalidState()
    {
        await using var engine = await Engine.StartAsync();
        var id = await DraftAsync(engine, """[{"say": "done"}]""");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => engine.Manager.StartAsync(id, Dana))));

        results.Count(r => r.Succeeded).ShouldBe(1);
        results.Where(r => !r.Succeeded).ShouldAllBe(r => r.Outcome == CommandOutcome.InvalidState);
        await engine.WaitForStatusAsync(id, Idle);
        (await engine.EventsAsync(id)).Count(e => e.Type == EventTypes.SessionQueued).ShouldBe(1);
        (await engine.Manager.StartAsync(id, Dana)).Message.ShouldBe("Only a draft can be started; this session is idle.");
        (await engine.Manager.StartAsync("s_nope", Dana)).Outcome.ShouldBe(CommandOutcome.NotFound);
    }

    [Fact]
    public async Task Update_AfterStart_TakesTitleTypeAndPriority_ButThePromptIsRefusedNamingIt()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);

        var prompt = await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Prompt: "too late"), Dana);
        (prompt.Outcome, prompt.Field).ShouldBe((CommandOutcome.InvalidState, "prompt"));
        prompt.Message!.ShouldContain("only while the session is a draft");

        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Title: "Renamed", Type: "bugfix", Priority: 3, Description: "why"), Dana)).ShouldBe(CommandResult.Done);
        var session = await engine.GetAsync(id);
        (session.Title, session.Type, session.Priority, session.Description, session.Status).ShouldBe(("Renamed", "bugfix", 3, "why", Running));
        // The same values again change nothing, and store nothing.
        var before = (await engine.EventsAsync(id)).Count(e => e.Type == EventTypes.SessionUpdated);
        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Title: "Renamed", Priority: 3), Dana)).ShouldBe(CommandResult.Done);
        (await engine.EventsAsync(id)).Count(e => e.Type == EventTypes.SessionUpdated).ShouldBe(before);

        (await engine.Manager.CancelAsync(id, Dana)).ShouldBe(CommandResult.Done);
        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Title: "after the end"), Dana)).Outcome.ShouldBe(CommandOutcome.InvalidState);
    }

    [Theory]
    [InlineData("""{"type": "chore"}""", "type", "type 'chore' is not one of: feature, bugfix, refactor, docs, review, ops.")]
    [InlineData("""{"title": "   "}""", "title", "title must not be empty (leave it out to use the prompt's first line).")]
    [InlineData("""{"title": "a\tb"}""", "title", "title may not contain a control character (U+0009).")]
    [InlineData("""{"priority": 101}""", "priority", "priority must be between -100 and 100.")]
    [InlineData("""{"prompt": ""}""", "prompt", "prompt must not be empty.")]
    [InlineData("{}", null, "Nothing to change: give at least one of title, description, type, priority, prompt or budgetUsd.")]
    public async Task Update_BadField_IsInvalidNamingIt(string json, string? field, string message)
    {
        await using var engine = await Engine.StartAsync();
        var id = await DraftAsync(engine, """[{"say": "x"}]""");

        var result = await engine.Manager.UpdateAsync(id, JsonSerializer.Deserialize(json, OverseerJson.Default.UpdateSessionRequest)!, Dana);

        (result.Outcome, result.Field, result.Message).ShouldBe((CommandOutcome.Invalid, field, message));
        (await engine.EventsAsync(id)).ShouldHaveSingleItem("nothing half-written");
    }

    [Fact]
    public async Task Update_LongTitleOrDescription_IsRefused()
    {
        await using var engine = await Engine.StartAsync();
        var id = await DraftAsync(engine, """[{"say": "x"}]""");

        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Title: new string('t', SessionTasks.MaxTitleChars + 1)), Dana)).Field.ShouldBe("title");
        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Description: new string('d', SessionTasks.MaxDescriptionChars + 1)), Dana)).Field.ShouldBe("description");
        (await engine.Manager.UpdateAsync(id, new UpdateSessionRequest(Description: new string('d', SessionTasks.MaxDescriptionChars)), Dana)).ShouldBe(CommandResult.Done);
    }

    [Fact]
    public async Task Update_PriorityOfAQueuedSession_MovesItAheadInTheQueue()
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 1);
        var busy = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(busy, Running);
        var first = await engine.CreateSessionAsync("""[{"say": "first"}]""");
        var second = await engine.CreateSessionAsync("""[{"say": "second"}]""");
        engine.Scheduler.PlaceOf(second)!.Position.ShouldBe(2);

        (await engine.Manager.UpdateAsync(second, new UpdateSessionRequest(Priority: 10), Dana)).ShouldBe(CommandResult.Done);

        engine.Scheduler.PlaceOf(second)!.Position.ShouldBe(1);
        engine.Scheduler.PlaceOf(first)!.Position.ShouldBe(2);
        (await engine.Manager.CancelAsync(busy, Dana)).ShouldBe(CommandResult.Done);
        await engine.WaitForStatusAsync(second, Idle);
        (await engine.GetAsync(second)).StartedAt!.Value.ShouldBeLessThanOrEqualTo((await engine.WaitForStatusAsync(first, Idle)).StartedAt!.Value);
    }

    [Fact]
    public async Task Delete_RunningSession_CancelsItStopsTheAgentAndHidesIt_AndTwiceIsNotFound()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(LongSleep);
        await engine.WaitForStatusAsync(id, Running);

        (await engine.Manager.DeleteAsync(id, Dana)).ShouldBe(CommandResult.Done);

        (await engine.ReadModel.GetSessionAsync(id)).ShouldBeNull();
        (await engine.StatusesAsync(id))[^2..].ShouldBe([Cancelled, Deleted]);
        var deleted = Engine.StateChange((await engine.EventsAsync(id))[^1]);
        (deleted.From, deleted.By, deleted.ByUserId, deleted.TokenId).ShouldBe((Cancelled, "dana", "u_dana", "t_dana"));
        engine.Scheduler.ActiveCount.ShouldBe(0, "its slot is free");
        (await engine.Manager.DeleteAsync(id, Dana)).Outcome.ShouldBe(CommandOutcome.NotFound);
        (await engine.Manager.SendMessageAsync(id, "hello?", Dana)).Outcome.ShouldBe(CommandOutcome.NotFound);
    }

    [Fact]
    public async Task Delete_WaitingSession_CancelsWhatItAskedSoTheInboxForgetsIt()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync("""[{"ask": {"question": "Which?", "options": ["a", "b"]}}]""");
        await engine.WaitForPendingQuestionAsync(id);
        (await engine.ReadModel.CountPendingAsync()).ShouldBe(1);

        (await engine.Manager.DeleteAsync(id, Dana)).ShouldBe(CommandResult.Done);

        (await engine.ReadModel.CountPendingAsync()).ShouldBe(0);
        (await engine.EventsAsync(id)).ShouldContain(e => e.Type == EventTypes.QuestionCancelled);
    }

    [Fact]
    public async Task Delete_DraftAndEndedSessions_AreMarkedDeletedWithoutACancel()
    {
        await using var engine = await Engine.StartAsync();
        var draft = await DraftAsync(engine, """[{"say": "x"}]""");
        var ended = await engine.CreateSessionAsync("""[{"say": "x"}]""");
        await engine.WaitForStatusAsync(ended, Idle);
        (await engine.Manager.CloseAsync(ended, Dana)).ShouldBe(CommandResult.Done);

        (await engine.Manager.DeleteAsync(draft, Dana)).ShouldBe(CommandResult.Done);
        (await engine.Manager.DeleteAsync(ended, Dana)).ShouldBe(CommandResult.Done);

        (await engine.StatusesAsync(draft)).ShouldBe([Deleted]);
        (await engine.StatusesAsync(ended))[^2..].ShouldBe([Completed, Deleted]);
        (await engine.Manager.StartAsync(draft, Dana)).Outcome.ShouldBe(CommandOutcome.NotFound);
        (await engine.ReadModel.ListSessionsAsync(new Storage.SessionQuery())).Items.ShouldBeEmpty();
    }

    [Fact]
    public async Task ProjectWithADraft_CannotBeRemoved_UntilTheDraftIsDeleted()
    {
        await using var engine = await Engine.StartAsync();
        var draft = await DraftAsync(engine, """[{"say": "x"}]""");

        var refused = await engine.Projects.DeleteAsync(engine.Project.Id, "tester", CancellationToken.None);
        refused.Code.ShouldBe(ErrorCodes.ProjectInUse);
        refused.Error!.ShouldContain("a draft is deleted");

        (await engine.Manager.DeleteAsync(draft, Dana)).ShouldBe(CommandResult.Done);
        (await engine.Projects.DeleteAsync(engine.Project.Id, "tester", CancellationToken.None)).Code.ShouldBeNull();
    }

    [Fact]
    public async Task Progress_ScriptStepsAndTheTextProtocol_BecomePhaseAndStepEvents()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.CreateSessionAsync(
            """
            [
              {"phase": {"name": "Design", "total": 2}},
              {"progress": {"percent": 50, "text": "the schema"}},
              {"say": "=== PHASE 2 START: Build ===\n[STEP 1/4] the first\tof four\n"},
              {"progress": 100}
            ]
            """);

        await engine.WaitForStatusAsync(id, Idle);
        var progress = (await engine.EventsAsync(id)).Where(e => e.Type is EventTypes.PhaseStarted or EventTypes.StepUpdated).Select(e => e.Data.GetRawText()).ToList();
        progress.ShouldBe([
            """{"phase":"Design","index":1,"total":2}""",
            """{"phase":"Design","percent":50,"text":"the schema"}""",
            """{"phase":"Build","index":2}""",
            """{"phase":"Build","percent":25,"text":"the first of four","step":1,"steps":4}""",
            """{"phase":"Build","percent":100}""",
        ]);
        var shown = (await engine.GetAsync(id)).Progress.ShouldNotBeNull();
        (shown.Phase, shown.PhaseIndex, shown.Percent).ShouldBe(("Build", 2, 100));
    }
}
