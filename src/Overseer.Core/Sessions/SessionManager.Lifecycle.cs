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
    /// After a restart: sessions cut off in the middle of a turn become interrupted (a follow-up
    /// resumes them); queued sessions go back in the queue in their original order.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var session in await ListAllAsync(CutOffStates, cancellationToken))
        {
            var reason = $"Overseer restarted while the session was {session.Status.ToWire()}.";
            var events = new List<NewEvent>();
            var questions = await _readModel.ListQuestionsAsync(new ItemQuery("pending", session.Id, Limit: 1000), cancellationToken);
            foreach (var question in questions.Items)
                events.Add(EventFactory.Create(session.Id, EventTypes.QuestionCancelled, EventFactory.SystemActor, new QuestionCancelledData(question.Id, reason), OverseerJson.Default.QuestionCancelledData));
            var approvals = await _readModel.ListApprovalsAsync(new ItemQuery("pending", session.Id, Limit: 1000), cancellationToken);
            foreach (var approval in approvals.Items)
                events.Add(EventFactory.Create(session.Id, EventTypes.ApprovalDecided, EventFactory.SystemActor, new ApprovalDecidedData(approval.Id, "denied", EventFactory.SystemActor, "cancelled", reason), OverseerJson.Default.ApprovalDecidedData));
            var dependencies = await _readModel.ListDependenciesAsync(new ItemQuery("pending", session.Id, Limit: 1000), cancellationToken);
            foreach (var dependency in dependencies.Items)
                events.Add(EventFactory.Create(session.Id, EventTypes.DependencyCancelled, EventFactory.SystemActor, new DependencyCancelledData(dependency.Id, reason), OverseerJson.Default.DependencyCancelledData));
            var reviews = await _readModel.ListReviewsAsync(new ItemQuery("pending", session.Id, Limit: 1000), cancellationToken);
            foreach (var review in reviews.Items)
                events.Add(EventFactory.Create(session.Id, EventTypes.ReviewCancelled, EventFactory.SystemActor, new ReviewCancelledData(review.Id, reason), OverseerJson.Default.ReviewCancelledData));
            events.Add(EventFactory.Create(session.Id, EventTypes.SessionInterrupted, EventFactory.SystemActor,
                new StateChangeData(session.Status, SessionStatus.Interrupted, reason), OverseerJson.Default.StateChangeData));
            await _store.AppendAsync(events, cancellationToken);
            LogInterrupted(session.Id, session.Status.ToWire());
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} was {Status} when Overseer stopped; it is now interrupted")]
    private partial void LogInterrupted(string sessionId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} session(s) did not stop in time during shutdown")]
    private partial void LogShutdownTimedOut(int count);
}
