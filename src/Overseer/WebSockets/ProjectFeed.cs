using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;
using Overseer.Streaming;

namespace Overseer.WebSockets;

/// <summary>
/// Streams one joined project to one connection: every event of every session of the project,
/// in global seq order, each as an <c>agent_message</c>, and a <c>project_state</c> whenever the
/// project's state or current session changes. Sessions created later are included because the
/// live part reads the hub for all sessions and keeps those of this project.
/// </summary>
internal sealed class ProjectFeed : IAsyncDisposable
{
    private readonly WsServices _services;
    private readonly WsOutbox _outbox;
    private readonly string _connectionId;
    private readonly ProjectDto _project;
    private readonly CancellationTokenSource _stop;
    private readonly Task _running;
    private CurrentSessionTracker? _sessions;
    private long _snapshotSeq;
    private WsProject _announced;
    private bool _live;
    private readonly Func<CancellationToken, ValueTask<bool>> _stillAllowed;

    /// <param name="stillAllowed">Asked before each live event: false (the caller lost the project) ends the feed with project_left.</param>
    public ProjectFeed(WsServices services, WsOutbox outbox, string connectionId, ProjectDto project, WsProject announced, long? after, CancellationToken connectionLifetime,
        Func<CancellationToken, ValueTask<bool>> stillAllowed)
    {
        _stillAllowed = stillAllowed;
        _services = services;
        _outbox = outbox;
        _connectionId = connectionId;
        _project = project;
        _announced = announced;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(connectionLifetime);
        _running = Task.Run(() => RunAsync(after ?? 0, _stop.Token), CancellationToken.None);
    }

    private async Task RunAsync(long after, CancellationToken cancellationToken)
    {
        try
        {
            // Every session of the project whose events lie at or below `high` is in `sessions`:
            // such an event (its session.created first) committed before `high` was read, so before
            // the query. Reading them by session is cheap; everything above `high` comes through
            // the hub for all sessions, filtered here. Together: no gap, no duplicate.
            var high = _services.Store.LastSeq;
            var sessions = await _services.Views.SessionIdsAsync(_project.Id, cancellationToken);
            // Only events after `high` move the state on: the snapshot already reflects the rest.
            _snapshotSeq = high;
            _sessions = new CurrentSessionTracker(await _services.Views.OpenSessionsAsync(_project.Id, cancellationToken));
            var pageSize = _services.CatchUpPageSize;
            var last = after;
            while (sessions.Count > 0 && last < high)
            {
                var (events, next, end) = await _services.Views.ReadPageAsync(sessions, last, pageSize, cancellationToken);
                foreach (var e in events)
                {
                    if (e.Seq > high)
                        break;
                    await EmitAsync(e, cancellationToken);
                }
                if (end)
                    break;
                last = next;
            }

            await foreach (var item in _services.Reader.ReadAsync(Math.Max(after, high), null, cancellationToken))
            {
                if (item.Kind == StreamItemKind.Event)
                {
                    if (await _services.Index.ProjectOfAsync(item.Event!, cancellationToken) != _project.Id)
                        continue;
                    if (!await _stillAllowed(cancellationToken))
                    {
                        await _outbox.SendAsync(WsFrames.Of(new WsProjectLeft(null, _project.Id), OverseerJson.Default.WsProjectLeft), cancellationToken);
                        return;
                    }
                    await EmitAsync(item.Event!, cancellationToken);
                }
                else if (item.Kind == StreamItemKind.Drained && !_live)
                {
                    // History replayed: from now on every state change is news.
                    _live = true;
                    await AnnounceIfChangedAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Left, or the connection closed.
        }
        catch (Exception ex)
        {
            WsLog.FeedFailed(_services.Logger, ex, _connectionId, _project.Id);
            _outbox.TrySend(WsFrames.Error(null, ErrorCodes.Internal, $"The stream of project {_project.Id} failed; join it again with 'after' to resume.", projectId: _project.Id));
        }
    }

    private async ValueTask EmitAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        await _outbox.SendAsync(WsFrames.AgentMessage(_project.Id, e), cancellationToken);
        if (e.Seq > _snapshotSeq && _sessions!.Apply(e) && _live)
            await AnnounceIfChangedAsync(cancellationToken);
    }

    private async ValueTask AnnounceIfChangedAsync(CancellationToken cancellationToken)
    {
        var (sessionId, status) = _sessions!.Current;
        var now = ProjectViews.Describe(_project, sessionId, status);
        if (now.State == _announced.State && now.SessionId == _announced.SessionId)
            return;
        _announced = now;
        await _outbox.SendAsync(WsFrames.Of(new WsProjectState(null, now), OverseerJson.Default.WsProjectState), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        finally
        {
            _stop.Dispose();
        }
    }
}
