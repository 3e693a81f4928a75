using Microsoft.Extensions.Logging;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Sessions;

// Start-up recovery and graceful shutdown.
public sealed partial class SessionManager
{
    private static readonly SessionStatus[] CutOffStates =
        [SessionStatus.Starting, SessionStatus.Running, SessionStatus.Waiting, SessionStatus.Paused, SessionStatus.RateLimited];

    /// <summary>
    /// After a restart or a crash, one path for every session whose process is gone: approvals
    /// expire with the reason (their call never ran; the agent hears so on its next message);
    /// questions, reviews and dependency requests stay open and answerable, and the session is held
    /// on them (answering resumes it with the answer); a rate-limited session stays so and
    /// continues at its reset time; any other session cut off mid-turn becomes interrupted (a
    /// follow-up resumes it). Queued sessions go back in the queue in their original order.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var interrupted = new List<string>();
        if (_services.Options.ResumeInterruptedOnStart)
        {
            // Interrupted by a clean stop: they were working when Overseer went down. (Not those a
            // person interrupted, nor crash victims of an earlier start that were left as they were.)
            foreach (var session in await ListAllAsync([SessionStatus.Interrupted], cancellationToken))
            {
                if (session.InterruptedBy == InterruptionCause.Stop)
                    interrupted.Add(session.Id);
            }
        }
        foreach (var session in await ListAllAsync(CutOffStates, cancellationToken))
        {
            var reason = $"Overseer restarted while the session was {session.Status.ToWire()}.";
            var items = await _readModel.ListPendingAsync(session.Id, cancellationToken);
            var events = items.Where(i => i.Kind == PendingKind.Approval)
                .Select(a => PendingItems.Expired(session.Id, a.Id, $"{reason} The agent process that asked for it is gone."))
                .ToList();
            var next = PendingItems.AfterProcessGone(session.Status, items.Any(i => i.Kind != PendingKind.Approval));
            if (next is { } to)
            {
                events.Add(EventFactory.Create(session.Id, SessionStateMachine.EventType(session.Status, to), EventFactory.SystemActor,
                    new StateChangeData(session.Status, to, reason, Cause: to == SessionStatus.Interrupted ? InterruptionCause.Crash : null), OverseerJson.Default.StateChangeData));
            }
            if ((next ?? session.Status) == SessionStatus.Waiting && !session.Hibernated)
                events.Add(Hibernated(session.Id));
            if (events.Count > 0)
                await _store.AppendAsync(events, cancellationToken);
            LogRecovered(session.Id, session.Status.ToWire(), (next ?? session.Status).ToWire());
            if (next == SessionStatus.Interrupted)
                interrupted.Add(session.Id);
            // Held and rate-limited sessions get their host now: it owns their open items and timers.
            if ((next ?? session.Status) is SessionStatus.Waiting or SessionStatus.RateLimited
                && await _readModel.GetSessionAsync(session.Id, cancellationToken) is { } recovered)
            {
                AddHost(await RestoreHostAsync(recovered));
            }
        }

        // Idle sessions lost their process too: the next message resumes them, as after hibernation.
        foreach (var idle in await ListAllAsync([SessionStatus.Idle], cancellationToken))
        {
            if (!idle.Hibernated)
                await _store.AppendAsync([Hibernated(idle.Id)], cancellationToken);
        }

        // Opt-in: sessions a stop or a crash cut off continue by themselves, as slots free up.
        if (_services.Options.ResumeInterruptedOnStart)
        {
            foreach (var id in interrupted)
            {
                if (await FindHostAsync(id) is { } host)
                {
                    await host.ResumeWhenAdmittedAsync();
                    LogResuming(id);
                }
            }
        }

        var queued = await ListAllAsync([SessionStatus.Queued], cancellationToken);
        // Listed newest first; the queue keeps arrival order within a priority.
        for (var i = queued.Count - 1; i >= 0; i--)
        {
            var host = await RestoreHostAsync(queued[i]);
            AddHost(host);
            _scheduler.Enqueue(host.Id, queued[i].Priority);
        }
    }

    private static NewEvent Hibernated(string sessionId) => EventFactory.Create(sessionId, EventTypes.AgentHibernated, EventFactory.SystemActor,
        new AgentHibernatedData("Overseer restarted: the agent's process is gone; the next message resumes its conversation.", EventFactory.SystemActor),
        OverseerJson.Default.AgentHibernatedData);

    private async Task<List<Contracts.Api.SessionDto>> ListAllAsync(SessionStatus[] statuses, CancellationToken cancellationToken)
    {
        var all = new List<Contracts.Api.SessionDto>();
        string? cursor = null;
        do
        {
            var page = await _readModel.ListSessionsAsync(new SessionQuery(statuses, Cursor: cursor, Limit: 1000), cancellationToken);
            all.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>Stops taking work and stops every agent; sessions mid-turn become interrupted.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _scheduler.Stop();
        var stops = _hosts.Values.Select(host => StopHostAsync(host)).ToArray();
        try
        {
            await Task.WhenAll(stops).WaitAsync(_services.Options.ShutdownTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogShutdownTimedOut(stops.Count(t => !t.IsCompleted));
        }
    }

    private async Task StopHostAsync(SessionHost host)
    {
        try
        {
            await host.ShutdownAsync("Overseer stopped while the session was running.");
        }
        catch (SessionEndedException)
        {
            // Already finished.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was {Status} when Overseer stopped; it is now {Now}")]
    private partial void LogRecovered(string sessionId, string status, string now);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was interrupted by a stop or a crash; it resumes as a slot frees up (Sessions:ResumeInterruptedOnStart)")]
    private partial void LogResuming(string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} session(s) did not stop in time during shutdown")]
    private partial void LogShutdownTimedOut(int count);
}
