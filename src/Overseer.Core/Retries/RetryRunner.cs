using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Schedules;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Retries;

/// <summary>
/// Retries failed sessions that have a retry policy. A failure with attempts left gets a
/// <c>session.retry_scheduled</c> event on the failed session, with the time the next attempt is
/// due (stored, so it survives a restart); when it is due, a new session with the same project,
/// prompt, runtime, model, template and schedule starts, linked to the one it follows. The new
/// session's link to its failure is unique in the store, so a failure never starts two. A
/// session a person cancels never fails, so it is never retried; a retry still to come can be
/// cancelled too (<see cref="CancelAsync"/>).
/// </summary>
public sealed partial class RetryRunner(
    IRetryStore retries,
    IEventStore store,
    SessionManager sessions,
    RunSignals signals,
    TimeProvider time,
    ILogger<RetryRunner> logger) : BackgroundService
{
    // A retry is started or cancelled by one caller at a time, each after reading it afresh.
    private readonly SemaphoreSlim _lock = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            signals.Retries.Reset();
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
                await signals.Retries.WaitAsync(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Plans the retries of new failures and starts those due; answers how long until the next is due.</summary>
    internal async Task<TimeSpan?> RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var failed in await retries.UnplannedAsync(cancellationToken))
        {
            var delay = RetryPolicies.Delay(failed.Policy, failed.Attempt);
            var next = failed.Attempt + 1;
            // Counted from when the failure is seen here: right after it, or at start-up after a crash.
            var data = new RetryScheduledData(next, failed.Policy.MaxAttempts, time.GetUtcNow() + delay, delay.TotalSeconds);
            await store.AppendAsync([EventFactory.Create(failed.SessionId, EventTypes.SessionRetryScheduled, EventFactory.SystemActor, data, OverseerJson.Default.RetryScheduledData)],
                cancellationToken);
            LogScheduled(failed.SessionId, next, failed.Policy.MaxAttempts, data.DueAt);
        }
        foreach (var retry in await retries.ScheduledAsync(cancellationToken))
        {
            var until = retry.DueAt - time.GetUtcNow();
            if (until > TimeSpan.Zero)
                return until;
            await StartAsync(retry.FailedSessionId, cancellationToken);
        }
        return null;
    }

    /// <summary>Calls off the retry a failed session is waiting for; false when it has none waiting.</summary>
    public async Task<bool> CancelAsync(string failedSessionId, ActedBy by, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (await retries.FindAsync(failedSessionId, cancellationToken) is not { Status: "scheduled" } retry)
                return false;
            await store.AppendAsync([EventFactory.Create(failedSessionId, EventTypes.SessionRetryCancelled, by.Name,
                new RetryCancelledData(retry.Attempt, by.Name, by.UserId, by.TokenId, $"Cancelled by {by.Name}."), OverseerJson.Default.RetryCancelledData)], cancellationToken);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task StartAsync(string failedSessionId, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (await retries.FindAsync(failedSessionId, cancellationToken) is not { Status: "scheduled" } retry)
                return;
            var created = (await store.ReadSessionAsync(failedSessionId, 0, 1, cancellationToken)).FirstOrDefault(e => e.Type == EventTypes.SessionCreated);
            if (created?.Data.Deserialize(OverseerJson.Default.SessionCreatedData) is not { } data)
            {
                await FailAsync(retry, "The failed session's record is gone.", cancellationToken);
                return;
            }
            var request = new CreateSessionRequest(data.ProjectId, data.Prompt, data.Runtime, data.Model, data.Priority, data.Script,
                data.Worktree is null ? null : "worktree", data.Retry);
            // The next attempt acts for whoever started the first.
            var result = await sessions.CreateAsync(request, new ActedBy(created.Actor, data.ByUserId), cancellationToken, data.TemplateId,
                new SessionLinks(data.ScheduleId, null, failedSessionId, retry.Attempt, retry.FirstAttemptId));
            if (result.SessionId is not null)
                LogStarted(failedSessionId, retry.Attempt, result.SessionId);
            else if (result.Code != ErrorCodes.ShuttingDown)
                await FailAsync(retry, result.Error ?? "The session could not be created.", cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task FailAsync(RetryRow retry, string error, CancellationToken cancellationToken)
    {
        await store.AppendAsync([EventFactory.Create(retry.FailedSessionId, EventTypes.SessionRetryFailed, EventFactory.SystemActor,
            new RetryFailedData(retry.Attempt, error), OverseerJson.Default.RetryFailedData)], cancellationToken);
        LogRetryFailed(retry.FailedSessionId, retry.Attempt, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} failed: attempt {Attempt} of {MaxAttempts} starts at {DueAt:u}")]
    private partial void LogScheduled(string sessionId, int attempt, int maxAttempts, DateTimeOffset dueAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: attempt {Attempt} started as {RetrySessionId}")]
    private partial void LogStarted(string sessionId, int attempt, string retrySessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: attempt {Attempt} could not start: {Error}")]
    private partial void LogRetryFailed(string sessionId, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retry runner's pass failed; it looks again shortly")]
    private partial void LogPassFailed(Exception ex);
}
