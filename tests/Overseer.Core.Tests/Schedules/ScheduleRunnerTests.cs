using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;
using static Overseer.Core.Tests.Schedules.ScheduleWorld;

namespace Overseer.Core.Tests.Schedules;

/// <summary>The schedule runner over the real store and engine, driven by a fake clock.</summary>
public sealed class ScheduleRunnerTests
{
    [Fact]
    public async Task Runner_DailyAt0230InBerlin_OnTheSpringForwardDay_FiresWhenTheClocksChange()
    {
        await using var world = await StartAsync(At("2025-03-29T12:00:00Z"));
        var schedule = await world.ScheduleAsync("30 2 * * *", "Europe/Berlin");
        // 02:30 does not exist on 30 March in Berlin (02:00 CET becomes 03:00 CEST): Cronos fires at the change.
        schedule.NextRunAt.ShouldBe(At("2025-03-30T01:00:00Z"));
        await world.StartRunnerAsync();

        world.Time.SetUtcNow(At("2025-03-30T01:00:00Z"));
        var first = (await world.WaitForFinishedRunsAsync(schedule.Id, 1)).ShouldHaveSingleItem();
        first.Run.Slot.ShouldBe(At("2025-03-30T01:00:00Z"));
        first.Run.Status.ShouldBe("started");
        var session = await world.Engine.GetAsync(first.Run.SessionId.ShouldNotBeNull());
        session.ScheduleId.ShouldBe(schedule.Id);
        session.Prompt.ShouldBe("Nightly upgrade.");

        // The next day 02:30 CEST is 00:30 UTC.
        (await world.GetAsync(schedule.Id)).NextRunAt.ShouldBe(At("2025-03-31T00:30:00Z"));
        world.Time.SetUtcNow(At("2025-03-31T00:30:00Z"));
        (await world.WaitForRunsAsync(schedule.Id, 2))[1].Run.Slot.ShouldBe(At("2025-03-31T00:30:00Z"));
    }

    [Fact]
    public async Task Runner_DailyAt0230InBerlin_OnTheFallBackDay_FiresOnceAtTheFirst0230()
    {
        await using var world = await StartAsync(At("2025-10-25T12:00:00Z"));
        var schedule = await world.ScheduleAsync("30 2 * * *", "Europe/Berlin");
        // 02:30 happens twice on 26 October (CEST, then CET): a non-interval expression fires at the first.
        schedule.NextRunAt.ShouldBe(At("2025-10-26T00:30:00Z"));
        await world.StartRunnerAsync();

        world.Time.SetUtcNow(At("2025-10-26T00:30:00Z"));
        (await world.WaitForFinishedRunsAsync(schedule.Id, 1))[0].Run.Slot.ShouldBe(At("2025-10-26T00:30:00Z"));
        (await world.GetAsync(schedule.Id)).NextRunAt.ShouldBe(At("2025-10-27T01:30:00Z"));

        // Past the second 02:30 (01:30 UTC on the 26th) to the 27th's: a slot in between would show as a missed run.
        world.Time.SetUtcNow(At("2025-10-27T01:30:00Z"));
        var runs = await world.WaitForRunsAsync(schedule.Id, 2);
        runs.Select(r => r.Run.Slot).ShouldBe([At("2025-10-26T00:30:00Z"), At("2025-10-27T01:30:00Z")]);
        runs.ShouldAllBe(r => r.Run.Status == "started" && r.Run.Trigger == "cron");
    }

    [Fact]
    public async Task Runner_AfterDowntimePastSeveralSlots_MissedPolicySkip_RecordsOneSkippedRunAndStartsNothing()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", missed: "skip");
        var runner = await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        await world.WaitForFinishedRunsAsync(schedule.Id, 1);

        // Down from 11:00 to 14:30: the slots at 12, 13 and 14 pass with no runner to fire them.
        await world.StopAsync(runner);
        world.Time.SetUtcNow(At("2025-06-02T14:30:00Z"));
        await world.StartRunnerAsync();

        var runs = await world.WaitForRunsAsync(schedule.Id, 2);
        runs.Count.ShouldBe(2);
        runs[1].Run.Slot.ShouldBe(At("2025-06-02T14:00:00Z"));
        runs[1].Run.Trigger.ShouldBe("missed");
        runs[1].Run.Status.ShouldBe("skipped");
        runs[1].Run.Reason.ShouldNotBeNull().ShouldContain("missed policy is skip");
        (await world.SessionsOfAsync(schedule.Id)).Count.ShouldBe(1);
        (await world.GetAsync(schedule.Id)).NextRunAt.ShouldBe(At("2025-06-02T15:00:00Z"));
    }

    [Fact]
    public async Task Runner_AfterDowntimePastSeveralSlots_MissedPolicyRunOnce_RunsOnceForTheLatest()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", missed: "run_once");
        var runner = await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        // Its turn done before the downtime, so the overlap policy has nothing to say about the run after it.
        await world.WaitForFinishedRunsAsync(schedule.Id, 1);

        await world.StopAsync(runner);
        world.Time.SetUtcNow(At("2025-06-02T14:30:00Z"));
        await world.StartRunnerAsync();

        var runs = await world.WaitForRunsAsync(schedule.Id, 2);
        runs.Count.ShouldBe(2);
        runs[1].Run.Slot.ShouldBe(At("2025-06-02T14:00:00Z"));
        runs[1].Run.Trigger.ShouldBe("missed");
        runs[1].Run.Status.ShouldBe("started", runs[1].Run.Reason);
        (await world.SessionsOfAsync(schedule.Id)).Count.ShouldBe(2);
        await world.WaitForFinishedRunsAsync(schedule.Id, 2);

        // Back on time: the 15:00 slot fires as usual.
        world.Time.SetUtcNow(At("2025-06-02T15:00:00Z"));
        (await world.WaitForRunsAsync(schedule.Id, 3))[2].Run.Trigger.ShouldBe("cron");
    }

    [Fact]
    public async Task Runner_OverlapSkip_SlotWhilePreviousRunWaits_IsSkippedWithTheReason()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", overlap: "skip", script: AskFirst);
        await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        var first = (await world.WaitForRunsAsync(schedule.Id, 1))[0];
        await world.Engine.WaitForStatusAsync(first.Run.SessionId!, SessionStatus.Waiting);

        world.Time.SetUtcNow(At("2025-06-02T12:00:00Z"));
        var second = (await world.WaitForRunsAsync(schedule.Id, 2))[1];
        second.Run.Status.ShouldBe("skipped");
        second.Run.Reason.ShouldNotBeNull().ShouldContain($"session {first.Run.SessionId}) is still waiting");
        (await world.SessionsOfAsync(schedule.Id)).Count.ShouldBe(1);

        // Once the first run's turn is done, the next slot runs.
        await world.AnswerAsync(first.Run.SessionId!);
        await world.Engine.WaitForStatusAsync(first.Run.SessionId!, SessionStatus.Idle);
        world.Time.SetUtcNow(At("2025-06-02T13:00:00Z"));
        (await world.WaitForRunsAsync(schedule.Id, 3))[2].Run.Status.ShouldBe("started");
    }

    [Fact]
    public async Task Runner_OverlapQueue_QueuesOneRun_AndStartsItWhenThePreviousEnds()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", overlap: "queue", script: AskFirst);
        await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        var first = (await world.WaitForRunsAsync(schedule.Id, 1))[0];
        await world.Engine.WaitForStatusAsync(first.Run.SessionId!, SessionStatus.Waiting);

        world.Time.SetUtcNow(At("2025-06-02T12:00:00Z"));
        var queued = (await world.WaitForRunsAsync(schedule.Id, 2))[1];
        queued.Run.Status.ShouldBe("queued");
        queued.Run.SessionId.ShouldBeNull();
        // One run waits at most: the next slot is skipped.
        world.Time.SetUtcNow(At("2025-06-02T13:00:00Z"));
        var third = (await world.WaitForRunsAsync(schedule.Id, 3))[2];
        third.Run.Status.ShouldBe("skipped");
        third.Run.Reason.ShouldNotBeNull().ShouldContain("already queued");

        await world.AnswerAsync(first.Run.SessionId!);
        var started = await Poll.UntilAsync(() => world.Store.FindRunAsync(queued.Run.Id), r => r?.Run.Status == "started", "the queued run to start");
        started!.Run.Slot.ShouldBe(At("2025-06-02T12:00:00Z"));
        (await world.Engine.GetAsync(started.Run.SessionId!)).ScheduleId.ShouldBe(schedule.Id);
        (await world.SessionsOfAsync(schedule.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Runner_OverlapAllow_StartsEachSlotWhileThePreviousStillWorks()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", overlap: "allow", script: AskFirst);
        await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        var first = (await world.WaitForRunsAsync(schedule.Id, 1))[0];
        await world.Engine.WaitForStatusAsync(first.Run.SessionId!, SessionStatus.Waiting);

        world.Time.SetUtcNow(At("2025-06-02T12:00:00Z"));
        var second = (await world.WaitForRunsAsync(schedule.Id, 2))[1];
        second.Run.Status.ShouldBe("started");
        second.Run.SessionId.ShouldNotBe(first.Run.SessionId);
        await world.Engine.WaitForStatusAsync(second.Run.SessionId!, SessionStatus.Waiting);
        (await world.Engine.GetAsync(first.Run.SessionId!)).Status.ShouldBe(SessionStatus.Waiting);
    }

    [Fact]
    public async Task Runners_TwoOverTheSameStore_FireTheSlotOnce()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", overlap: "allow");
        await world.StartRunnerAsync();
        await world.StartRunnerAsync();

        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        await world.WaitForRunsAsync(schedule.Id, 1);
        // Both passes are over once the schedule's last slot is the 11:00 one and the next is noon.
        await Poll.UntilAsync(() => world.GetAsync(schedule.Id), s => s.NextRunAt == At("2025-06-02T12:00:00Z"), "the slot to be handled");
        (await world.RunsAsync(schedule.Id)).Count.ShouldBe(1);
        (await world.SessionsOfAsync(schedule.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Runner_SlotClaimedButItsSessionNeverMade_StartsItOnceOnTheNextStart()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *");
        // A runner that died right after claiming the 11:00 slot: the claim is stored, the session is not.
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        var claim = new ScheduleRunRecord("run_crashed", schedule.Id, At("2025-06-02T11:00:00Z"), "cron", "pending", null, null, Engine.By, null, world.Time.GetUtcNow());
        (await world.Store.ClaimAsync(claim, At("2025-06-02T12:00:00Z"))).ShouldBeTrue();
        (await world.Store.ClaimAsync(claim with { Id = "run_again" }, At("2025-06-02T12:00:00Z"))).ShouldBeFalse("a slot is claimed once");

        var runner = await world.StartRunnerAsync();
        var run = (await world.WaitForRunsAsync(schedule.Id, 1)).ShouldHaveSingleItem();
        run.Run.Id.ShouldBe("run_crashed");
        run.Run.Status.ShouldBe("started");
        await runner.RunOnceAsync(CancellationToken.None);
        (await world.RunsAsync(schedule.Id)).Count.ShouldBe(1);
        (await world.SessionsOfAsync(schedule.Id)).ShouldHaveSingleItem().Id.ShouldBe(run.Run.SessionId);
    }

    [Fact]
    public async Task CreateSession_ForARunThatAlreadyHasOne_IsRefusedWhole()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *");
        var runner = await world.StartRunnerAsync();
        var run = (await runner.RunNowAsync(schedule.Id, Engine.By, CancellationToken.None)).ShouldNotBeNull();
        run.Run.Status.ShouldBe("started");

        // As if a crash had lost the link and the run were started again: the store refuses a second session for it.
        var again = world.Engine.Manager.CreateAsync(new Contracts.Api.CreateSessionRequest(world.Engine.Project.Id, "again", "scripted", null, null, null),
            Engine.By, CancellationToken.None, links: new SessionLinks(schedule.Id, run.Run.Id));
        await Should.ThrowAsync<EventStoreException>(again);
        (await world.SessionsOfAsync(schedule.Id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task RunNow_StartsTheTemplateWithItsParameters_AsTheCaller()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 3 * * *", overlap: "skip");
        var runner = await world.StartRunnerAsync();
        var run = (await runner.RunNowAsync(schedule.Id, new ActedBy("dana", "u_dana"), CancellationToken.None)).ShouldNotBeNull();
        run.Run.Trigger.ShouldBe("manual");
        run.Run.ByName.ShouldBe("dana");
        var session = await world.Engine.WaitForStatusAsync(run.Run.SessionId!, SessionStatus.Idle);
        session.Prompt.ShouldBe("Nightly upgrade.");
        session.StartedBy!.Name.ShouldBe("dana");
        // A manual run claims no slot: the 03:00 one still fires.
        (await world.GetAsync(schedule.Id)).NextRunAt.ShouldBe(At("2025-06-03T03:00:00Z"));
    }

    [Fact]
    public async Task Runner_DisabledSchedule_FiresNothing_AndReenabledCountsFromThen()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        var schedule = await world.ScheduleAsync("0 * * * *", missed: "run_once");
        await world.StartRunnerAsync();
        (await world.Catalog.SetEnabledAsync(schedule.Id, false, CancellationToken.None)).Schedule!.NextRunAt.ShouldBeNull();
        world.Time.SetUtcNow(At("2025-06-02T13:30:00Z"));
        var enabled = (await world.Catalog.SetEnabledAsync(schedule.Id, true, CancellationToken.None)).Schedule!;
        // Slots while it was off are not "missed": it starts again from now.
        enabled.NextRunAt.ShouldBe(At("2025-06-02T14:00:00Z"));
        world.Time.SetUtcNow(At("2025-06-02T14:00:00Z"));
        var run = (await world.WaitForRunsAsync(schedule.Id, 1)).ShouldHaveSingleItem();
        run.Run.Slot.ShouldBe(At("2025-06-02T14:00:00Z"));
    }
}
