using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using static Overseer.Contracts.Events.SessionStatus;
using static Overseer.Core.Tests.Engine;

namespace Overseer.Core.Tests;

/// <summary>A session waiting on a person does not hold a concurrency slot; one whose tool call waits at the gate does.</summary>
public sealed class SessionSlotTests
{
    [Theory]
    [InlineData("tool-question")]
    [InlineData("text-question")]
    [InlineData("plan-review")]
    public async Task HeldOnAPerson_FreesItsSlot_TheQueueMovesOn_AndTheAnswerReentersTheQueueAtItsPriority(string kind)
    {
        await using var engine = await Engine.StartAsync(maxConcurrent: 1);
        var held = await engine.CreateSessionAsync(kind switch
        {
            "tool-question" => """[{"ask": {"question": "Which part?"}}, {"say": "held goes on"}]""",
            "plan-review" => """[{"plan": "Do it."}, {"say": "held goes on"}]""",
            _ => """[{"say": "[USER_QUESTION]\ncategory: scope\nquestion: Which part?\noptions: [the API, the UI]\n[/USER_QUESTION]\n"}]""",
        });
        await engine.WaitForStatusAsync(held, Waiting);
        var item = (await Poll.UntilAsync(() => engine.ReadModel.ListPendingAsync(held), i => i.Count > 0, "the item")).Single();

        // The queue moves on: the only slot goes to the next session.
        var busy = await engine.CreateSessionAsync("""[{"sleep": 600000}]""");
        await engine.WaitForStatusAsync(busy, Running);
        var older = await engine.CreateSessionAsync("""[{"say": "older"}]""", priority: 0);
        var urgent = await engine.CreateSessionAsync("""[{"say": "urgent"}]""", priority: 5);
        engine.Scheduler.ActiveCount.ShouldBe(1);

        var answered = item.Kind == PendingKind.Question
            ? await engine.Manager.AnswerQuestionAsync(item.Id, Answers(("Which part?", "\"the UI\"")), By, CancellationToken.None)
            : await engine.Manager.DecideReviewAsync(item.Id, approved: true, null, By, CancellationToken.None);
        answered.Outcome.ShouldBe(CommandOutcome.Done);

        // Every slot is taken: the answered session waits in the queue, at its priority.
        await Task.Delay(200);
        (await engine.GetAsync(held)).Status.ShouldBe(Waiting);
        (await engine.ReadModel.ListPendingAsync(held)).ShouldBeEmpty();
        engine.Scheduler.QueuedCount.ShouldBe(3);

        (await engine.Manager.InterruptAsync(busy, By)).Outcome.ShouldBe(CommandOutcome.Done);

        foreach (var id in new[] { busy, urgent, older, held })
            await engine.WaitForStatusAsync(id, Idle);
        var running = (await engine.Store.ReadAsync(0, 10_000))
            .Where(e => e.SessionId is not null && IsStateChange(e) && StateChange(e).To == Running)
            .Select(e => e.SessionId!).ToList();
        // Admitted highest priority first, then in arrival order: the answer came after "older" was queued.
        running.SkipWhile(id => id != busy).Distinct().ShouldBe([busy, urgent, older, held]);
        Texts(await engine.EventsAsync(held)).ShouldContain(t => t.Contains("the UI", StringComparison.Ordinal) || t.Contains("held goes on", StringComparison.Ordinal));
        (await MaxWorkingInLogAsync(engine)).ShouldBe(1);
    }

    /// <summary>The most sessions working on a turn at once (starting, running), replayed from the log.</summary>
    private static async Task<int> MaxWorkingInLogAsync(Engine engine)
    {
        var statuses = new Dictionary<string, SessionStatus>(StringComparer.Ordinal);
        var max = 0;
        foreach (var e in await engine.Store.ReadAsync(0, 10_000))
        {
            if (e.SessionId is null || !IsStateChange(e))
                continue;
            statuses[e.SessionId] = StateChange(e).To;
            max = Math.Max(max, statuses.Values.Count(s => s is Starting or Running));
        }
        return max;
    }
}
