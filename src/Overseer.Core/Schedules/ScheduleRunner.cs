using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Core.Schedules;

/// <summary>
/// Fires schedules. It sleeps on the clock's timer until the next slot (or until a schedule or a
/// session changes), then, for each schedule with slots due: slots older than
/// <see cref="ScheduleOptions.MissedAfter"/> were missed (skip: one skipped run records them;
/// run_once: one run for the latest), the others fire in order, each under the overlap policy.
/// Each slot is claimed in the store before its session is created and the session is linked to
/// its run in the transaction that creates it, so a slot runs once across restarts and crashes:
/// a run claimed but without a session (a crash between the two) is started when the runner
/// starts again.
/// </summary>
public sealed partial class ScheduleRunner(
    IScheduleStore store,
    TemplateCatalog templates,
    IUserStore users,
    RunSignals signals,
    IOptions<ScheduleOptions> options,
    TimeProvider time,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    // One run's session at a time: a run is read, started and linked before the next is looked at.
    private readonly SemaphoreSlim _starting = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            signals.Schedules.Reset();
            TimeSpan? wait;
            try
            {
                wait = await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex);
                wait = TimeSpan.FromSeconds(5);
            }
            try
            {
                await signals.Schedules.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One look at everything: runs waiting to start, then each schedule's due slots. Answers how long until the next slot.</summary>
    internal async Task<TimeSpan?> RunOnceAsync(CancellationToken cancellationToken)
    {
        await StartOpenRunsAsync(cancellationToken);
        DateTimeOffset? earliest = null;
        foreach (var schedule in await store.ListAsync(null, cancellationToken))
        {
            if (!schedule.Enabled)
                continue;
            if (CronSchedule.Parse(schedule.Cron, schedule.TimeZone).Schedule is not { } cron)
            {
                LogUnknownZone(schedule.Id, schedule.TimeZone);
                continue;
            }
            await FireDueAsync(schedule, cron, time.GetUtcNow(), cancellationToken);
            if (cron.NextAfter(time.GetUtcNow()) is { } next && (earliest is null || next < earliest))
                earliest = next;
        }
        return earliest - time.GetUtcNow();
    }

    /// <summary>Starts a run a person asked for now, whatever the overlap policy says; answers it with its session.</summary>
    public async Task<ScheduleRunRow?> RunNowAsync(string scheduleId, ActedBy by, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(scheduleId, cancellationToken) is null)
            return null;
        var now = time.GetUtcNow();
        var run = new ScheduleRunRecord(Ids.New("run"), scheduleId, now, "manual", "pending", null, null, by.Name, by.UserId, now);
        await store.AddRunAsync(run, cancellationToken);
        return await StartRunAsync(run.Id, cancellationToken);
    }

    private async Task FireDueAsync(ScheduleRecord schedule, CronSchedule cron, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var after = schedule.LastSlot ?? schedule.UpdatedAt;
        if (cron.NextAfter(after) is not { } first || first > now)
            return;
        var missedBefore = now - options.Value.MissedAfter;
        if (first < missedBefore && cron.LatestBetween(after, missedBefore) is { } latestMissed)
        {
            // A newer slot is on time: it runs, and stands for the ones missed before it.
            var onTime = cron.NextAfter(latestMissed) is { } n && n <= now;
            if (schedule.MissedPolicy == "run_once" && !onTime)
            {
                await FireAsync(schedule, cron, latestMissed, "missed", now, cancellationToken);
            }
            else
            {
                var reason = onTime
                    ? $"Missed while Overseer was not running (slots since {after:u}); the run at the next slot stands for them."
                    : $"Missed while Overseer was not running (slots since {after:u}); the missed policy is skip.";
                await ClaimAsync(schedule, cron, NewRun(schedule, latestMissed, "missed", "skipped", reason, now), cancellationToken);
            }
            after = latestMissed;
        }
        for (var slot = cron.NextAfter(after); slot is { } due && due <= now; slot = cron.NextAfter(due))
            await FireAsync(schedule, cron, due, "cron", now, cancellationToken);
    }

    private async Task FireAsync(ScheduleRecord schedule, CronSchedule cron, DateTimeOffset slot, string trigger, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (status, reason) = await RefusalAsync(schedule, cancellationToken) is { } refusal
            ? ("skipped", refusal)
            : await OverlapAsync(schedule, cancellationToken);
        var run = NewRun(schedule, slot, trigger, status, reason, now);
        if (await ClaimAsync(schedule, cron, run, cancellationToken) && status == "pending")
            await StartRunAsync(run.Id, cancellationToken);
    }

    /// <summary>What the overlap policy makes of a slot that comes while an earlier run still works.</summary>
    private async Task<(string Status, string? Reason)> OverlapAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        if (schedule.OverlapPolicy == "allow" || await store.WorkingRunAsync(schedule.Id, null, cancellationToken) is not { } working)
            return ("pending", null);
        var what = working.Run.Status is "queued" or "pending"
            ? $"the run for {working.Run.Slot:u} is still {working.Run.Status}"
            : $"the run for {working.Run.Slot:u} (session {working.LatestSessionId}) is still {working.LatestStatus ?? "working"}";
        if (schedule.OverlapPolicy == "queue" && working.Run.Status != "queued")
            return ("queued", $"Waits for the earlier run: {what}.");
        return ("skipped", schedule.OverlapPolicy == "queue"
            ? $"A run is already queued: {what}; the overlap policy queues one at most."
            : $"Skipped: {what} (overlap policy skip).");
    }

    private async Task<bool> ClaimAsync(ScheduleRecord schedule, CronSchedule cron, ScheduleRunRecord run, CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimAsync(run, cron.NextAfter(run.Slot), cancellationToken);
        if (claimed)
            LogRun(schedule.Id, run.Slot, run.Trigger, run.Status, run.Reason);
        return claimed;
    }

    /// <summary>Starts queued runs whose predecessor has finished, and runs claimed whose session was never made (a crash).</summary>
    private async Task StartOpenRunsAsync(CancellationToken cancellationToken)
    {
        foreach (var run in await store.OpenRunsAsync(cancellationToken))
        {
            if (run.Status == "queued")
            {
                if (await store.WorkingRunAsync(run.ScheduleId, run.Id, cancellationToken) is not null)
                    continue;
                await store.SetRunStatusAsync(run.Id, "pending", null, cancellationToken);
            }
            await StartRunAsync(run.Id, cancellationToken);
        }
    }

    /// <summary>Creates a pending run's session (linked to the run as it is created), or records why it could not be.</summary>
    private async Task<ScheduleRunRow?> StartRunAsync(string runId, CancellationToken cancellationToken)
    {
        await _starting.WaitAsync(cancellationToken);
        try
        {
            var row = await store.FindRunAsync(runId, cancellationToken);
            if (row is not { Run: { Status: "pending", SessionId: null } run })
                return row;
            if (await store.FindAsync(run.ScheduleId, cancellationToken) is not { } schedule)
                return row;
            var o = ScheduleViews.Options(schedule);
            var request = new RunTemplateRequest(schedule.ProjectId, ScheduleViews.Parameters(schedule), o.Runtime, o.Model, o.Isolation, o.Priority, o.Script,
                schedule.Retry is null ? null : System.Text.Json.JsonSerializer.Deserialize(schedule.Retry, Contracts.OverseerJson.Default.RetryPolicyDto));
            (CreateSessionResult? created, TemplateOutcome? failure) outcome;
            try
            {
                outcome = await templates.RunAsync(schedule.TemplateId, request, new ActedBy(run.ByName, run.ByUserId), cancellationToken,
                    new SessionLinks(schedule.Id, run.Id));
            }
            catch (EventStoreException ex)
            {
                // The store refused the session: most likely the run already has one (its link is unique).
                LogStartFailed(schedule.Id, run.Id, ex.Message);
                return await store.FindRunAsync(runId, cancellationToken);
            }
            var (created, failure) = outcome;
            var problem = failure?.Message ?? (created!.SessionId is null ? created.Error : null);
            if (created?.Code == ErrorCodes.ShuttingDown)
                return row; // still pending: the next start makes its session
            if (problem is not null)
            {
                await store.SetRunStatusAsync(run.Id, "failed", problem, cancellationToken);
                LogStartFailed(schedule.Id, run.Id, problem);
            }
            return await store.FindRunAsync(runId, cancellationToken);
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// Why the schedule may not start sessions any more: it acts as the person who made it, so
    /// that person must still exist, be enabled and hold the operator role in its project.
    /// </summary>
    private async Task<string?> RefusalAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        if (schedule.CreatedByUserId is not { } userId)
            return null;
        var user = await users.FindAsync(userId, cancellationToken);
        if (user is null)
            return $"Its creator {schedule.CreatedBy} no longer exists; save the schedule again as someone who may start sessions in its project.";
        if (user.DisabledAt is not null)
            return $"Its creator {user.Name} is disabled.";
        if (Roles.AtLeast(user.Role, Roles.Admin))
            return null;
        var membership = (await users.MembershipsAsync(userId, schedule.ProjectId, cancellationToken)).FirstOrDefault();
        return membership is not null && Roles.AtLeast(Roles.Min(membership.Role, user.Role), Roles.Operator)
            ? null
            : $"Its creator {user.Name} no longer holds the operator role in the project.";
    }

    private static ScheduleRunRecord NewRun(ScheduleRecord schedule, DateTimeOffset slot, string trigger, string status, string? reason, DateTimeOffset now) =>
        new(Ids.New("run"), schedule.Id, slot, trigger, status, null, reason, schedule.CreatedBy, schedule.CreatedByUserId, now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {ScheduleId}: slot {Slot:u} ({Trigger}) {Status} {Reason}")]
    private partial void LogRun(string scheduleId, DateTimeOffset slot, string trigger, string status, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: run {RunId} could not start: {Problem}")]
    private partial void LogStartFailed(string scheduleId, string runId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {ScheduleId}: its time zone {TimeZone} is not known to this server; it does not fire")]
    private partial void LogUnknownZone(string scheduleId, string timeZone);

    [LoggerMessage(Level = LogLevel.Error, Message = "The schedule runner's pass failed; it looks again shortly")]
    private partial void LogPassFailed(Exception ex);
}
