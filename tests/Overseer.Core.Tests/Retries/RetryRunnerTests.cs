using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Retries;
using Overseer.Core.Tests.Schedules;
using static Overseer.Core.Tests.Schedules.ScheduleWorld;

namespace Overseer.Core.Tests.Retries;

/// <summary>Retries of failed sessions over the real store and engine, driven by a fake clock.</summary>
public sealed class RetryRunnerTests
{
    private const string Fails = """[{"fail": "the build broke"}]""";

    private static async Task<string> StartFailingAsync(ScheduleWorld world, RetryPolicyDto policy, string script = Fails)
    {
        var result = await world.Engine.Manager.CreateAsync(
            new CreateSessionRequest(world.Engine.Project.Id, "Upgrade the deps.", "scripted", null, null, Engine.Json(script), Retry: policy), Engine.By, CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.SessionId!;
    }

    private static async Task<RetryScheduledData> WaitForRetryScheduledAsync(ScheduleWorld world, string sessionId)
    {
        var events = await world.Engine.WaitForEventsAsync(sessionId, e => e.Any(x => x.Type == EventTypes.SessionRetryScheduled), $"a retry of {sessionId} to be scheduled");
        return events.Single(e => e.Type == EventTypes.SessionRetryScheduled).Data.Deserialize(OverseerJson.Default.RetryScheduledData)!;
    }

    private static async Task<string> WaitForNextAttemptAsync(ScheduleWorld world, string sessionId)
    {
        var session = await Poll.UntilAsync(() => world.Engine.GetAsync(sessionId), s => s.Retry?.NextAttemptId is not null, $"the attempt after {sessionId}");
        return session.Retry!.NextAttemptId!;
    }

    [Fact]
    public async Task Retry_FailsEveryTime_BacksOffExponentiallyUpToTheCap_AndStopsAtMaxAttempts()
    {
        var t0 = At("2025-06-02T10:00:00Z");
        await using var world = await StartAsync(t0);
        await world.StartRetryRunnerAsync();
        var first = await StartFailingAsync(world, new RetryPolicyDto(4, InitialDelaySeconds: 10, MaxDelaySeconds: 25, Multiplier: 2));

        var retry1 = await WaitForRetryScheduledAsync(world, first);
        retry1.ShouldBe(new RetryScheduledData(2, 4, t0.AddSeconds(10), 10));
        (await world.Engine.GetAsync(first)).Retry!.NextAttemptAt.ShouldBe(t0.AddSeconds(10));

        world.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await WaitForNextAttemptAsync(world, first);
        var retry2 = await WaitForRetryScheduledAsync(world, second);
        retry2.ShouldBe(new RetryScheduledData(3, 4, t0.AddSeconds(10 + 20), 20));

        world.Time.Advance(TimeSpan.FromSeconds(20));
        var third = await WaitForNextAttemptAsync(world, second);
        // 10 × 2² = 40 s, capped at 25.
        (await WaitForRetryScheduledAsync(world, third)).ShouldBe(new RetryScheduledData(4, 4, t0.AddSeconds(30 + 25), 25));

        world.Time.Advance(TimeSpan.FromSeconds(25));
        var fourth = await WaitForNextAttemptAsync(world, third);
        var last = await world.Engine.WaitForStatusAsync(fourth, SessionStatus.Failed);

        last.Retry.ShouldNotBeNull();
        last.Retry.Attempt.ShouldBe(4);
        last.Retry.FirstAttemptId.ShouldBe(first);
        last.Retry.PreviousAttemptId.ShouldBe(third);
        last.Retry.NextAttemptId.ShouldBeNull();
        last.Prompt.ShouldBe("Upgrade the deps.");
        var chain = await world.Engine.ReadModel.ListAttemptsAsync(first);
        chain.Select(a => (a.Id, a.Attempt)).ShouldBe([(first, 1), (second, 2), (third, 3), (fourth, 4)]);
        chain.ShouldAllBe(a => a.Status == SessionStatus.Failed);
        // The fourth was the last: nothing more is planned for it.
        (await world.Retries.UnplannedAsync()).ShouldBeEmpty();
        (await world.Retries.FindAsync(fourth)).ShouldBeNull();
    }

    [Fact]
    public async Task Retry_ASessionAPersonCancels_IsNotRetried()
    {
        await using var world = await StartAsync(At("2025-06-02T10:00:00Z"));
        var runner = await world.StartRetryRunnerAsync();
        var session = await StartFailingAsync(world, new RetryPolicyDto(3, 5), AskFirst);
        await world.Engine.WaitForStatusAsync(session, SessionStatus.Waiting);

        (await SessionCancel.CancelAsync(world.Engine.Manager, runner, session, new ActedBy("dana", "u_dana"), CancellationToken.None)).Succeeded.ShouldBeTrue();
        await world.Engine.WaitForStatusAsync(session, SessionStatus.Cancelled);
        world.Time.Advance(TimeSpan.FromHours(1));
        await runner.RunOnceAsync(CancellationToken.None);

        (await world.Retries.FindAsync(session)).ShouldBeNull();
        (await world.Engine.ReadModel.ListAttemptsAsync(session)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Retry_CancelledWhileWaitingForItsTime_NeverStarts()
    {
        await using var world = await StartAsync(At("2025-06-02T10:00:00Z"));
        var runner = await world.StartRetryRunnerAsync();
        var session = await StartFailingAsync(world, new RetryPolicyDto(3, 60));
        await WaitForRetryScheduledAsync(world, session);

        (await SessionCancel.CancelAsync(world.Engine.Manager, runner, session, new ActedBy("dana", "u_dana"), CancellationToken.None)).Succeeded.ShouldBeTrue();
        var cancelled = (await world.Engine.EventsAsync(session)).Single(e => e.Type == EventTypes.SessionRetryCancelled);
        cancelled.Actor.ShouldBe("dana");
        world.Time.Advance(TimeSpan.FromMinutes(5));
        await runner.RunOnceAsync(CancellationToken.None);

        (await world.Retries.FindAsync(session)).ShouldNotBeNull().Status.ShouldBe("cancelled");
        var failed = await world.Engine.GetAsync(session);
        failed.Retry!.RetryStatus.ShouldBe("cancelled");
        failed.Retry.NextAttemptAt.ShouldBeNull();
        (await world.Engine.ReadModel.ListAttemptsAsync(session)).ShouldHaveSingleItem();
        // Nothing left to cancel: a second cancel is refused as the state machine refuses it.
        (await SessionCancel.CancelAsync(world.Engine.Manager, runner, session, "dana", CancellationToken.None)).Outcome.ShouldBe(Core.Sessions.CommandOutcome.InvalidState);
    }

    [Fact]
    public async Task Retry_PlannedBeforeARestart_StartsAfterItAtTheStoredTime_Once()
    {
        var t0 = At("2025-06-02T10:00:00Z");
        await using var world = await StartAsync(t0);
        var before = await world.StartRetryRunnerAsync();
        var first = await StartFailingAsync(world, new RetryPolicyDto(2, 120));
        (await WaitForRetryScheduledAsync(world, first)).DueAt.ShouldBe(t0.AddMinutes(2));
        await world.StopAsync(before);

        // Another life of the server: the due time comes from the store, and nothing is planned twice.
        var after = await world.StartRetryRunnerAsync();
        await after.RunOnceAsync(CancellationToken.None);
        (await world.Engine.ReadModel.ListAttemptsAsync(first)).ShouldHaveSingleItem();
        world.Time.Advance(TimeSpan.FromMinutes(2));
        var second = await WaitForNextAttemptAsync(world, first);
        await world.Engine.WaitForStatusAsync(second, SessionStatus.Failed);
        await after.RunOnceAsync(CancellationToken.None);

        (await world.Engine.EventsAsync(first)).Count(e => e.Type == EventTypes.SessionRetryScheduled).ShouldBe(1);
        (await world.Engine.ReadModel.ListAttemptsAsync(first)).Select(a => a.Id).ShouldBe([first, second]);
    }

    [Fact]
    public async Task Retry_OfAScheduledRun_StaysOnTheSchedule_AndTheRunCountsEveryAttempt()
    {
        await using var world = await StartAsync(At("2025-06-02T10:05:00Z"));
        await world.StartRetryRunnerAsync();
        var schedule = await world.ScheduleAsync("0 * * * *", script: Fails, retry: new RetryPolicyDto(2, 30));
        await world.StartRunnerAsync();
        world.Time.SetUtcNow(At("2025-06-02T11:00:00Z"));
        var run = (await world.WaitForRunsAsync(schedule.Id, 1))[0];
        await WaitForRetryScheduledAsync(world, run.Run.SessionId!);

        world.Time.Advance(TimeSpan.FromSeconds(30));
        var second = await WaitForNextAttemptAsync(world, run.Run.SessionId!);
        (await world.Engine.WaitForStatusAsync(second, SessionStatus.Failed)).ScheduleId.ShouldBe(schedule.Id);
        var row = (await world.Store.FindRunAsync(run.Run.Id)).ShouldNotBeNull();
        row.Attempts.ShouldBe(2);
        row.LatestSessionId.ShouldBe(second);
        row.LatestStatus.ShouldBe("failed");
    }

    [Theory]
    [InlineData(0, 60, 3600, 2.0, "retry.maxAttempts")]
    [InlineData(11, 60, 3600, 2.0, "retry.maxAttempts")]
    [InlineData(3, -1, 3600, 2.0, "retry.initialDelaySeconds")]
    [InlineData(3, 600, 60, 2.0, "retry.maxDelaySeconds")]
    [InlineData(3, 60, 3600, 0.5, "retry.multiplier")]
    public async Task CreateSession_WithABadRetryPolicy_IsRefusedNamingTheField(int maxAttempts, int initial, int max, double multiplier, string field)
    {
        await using var world = await StartAsync(At("2025-06-02T10:00:00Z"));
        var result = await world.Engine.Manager.CreateAsync(new CreateSessionRequest(world.Engine.Project.Id, "x", "scripted", null, null, null,
            Retry: new RetryPolicyDto(maxAttempts, initial, max, multiplier)), Engine.By, CancellationToken.None);
        result.SessionId.ShouldBeNull();
        result.Code.ShouldBe(ErrorCodes.InvalidField);
        result.Field.ShouldBe(field);
    }
}
