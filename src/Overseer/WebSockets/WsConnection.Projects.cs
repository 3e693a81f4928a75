using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;

namespace Overseer.WebSockets;

internal sealed partial class WsConnection
{
    public const int MaxMessagesLimit = 1000;

    /// <summary>Creates through the same registry as <c>POST /api/projects</c>; everyone is told.</summary>
    private async Task CreateProjectAsync(string? id, WsProjectCreate message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.Path, "path", cancellationToken))
            return;
        var result = await _services.Projects.CreateAsync(message.Path, message.Name, UserName, cancellationToken);
        if (result.Project is not { } project)
        {
            await SendErrorAsync(id, WireCode(result.Code!), result.Error!, result.Field, cancellationToken);
            return;
        }
        var view = ProjectViews.Describe(project, null, null);
        await SendAsync(new WsProjectState(id, view), OverseerJson.Default.WsProjectState, cancellationToken);
        // A new project has no members yet: only admins and owners may see it.
        _services.Connections.Broadcast(WsFrames.Of(new WsProjectState(null, view), OverseerJson.Default.WsProjectState), except: this, adminsOnly: true);
    }

    private async Task ListProjectsAsync(string? id, CancellationToken cancellationToken)
    {
        var projects = await _services.ReadModel.ListProjectsAsync(cancellationToken);
        var visible = await _services.Access.VisibleProjectsAsync(_user!, cancellationToken);
        var views = new List<WsProject>(projects.Count);
        foreach (var project in projects.Where(p => visible is null || visible.Contains(p.Id)))
            views.Add(await _services.Views.DescribeAsync(project, cancellationToken));
        await SendAsync(new WsProjectListResponse(id, views), OverseerJson.Default.WsProjectListResponse, cancellationToken);
    }

    private async Task DeleteProjectAsync(string? id, WsProjectDelete message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ProjectId, "projectId", cancellationToken))
            return;
        var result = await _services.Projects.DeleteAsync(message.ProjectId!, UserName, cancellationToken);
        if (result.Project is not { } project)
        {
            await SendErrorAsync(id, result.Code!, result.Error!, "projectId", cancellationToken, projectId: message.ProjectId);
            return;
        }
        if (_feeds.Remove(project.Id, out var feed))
            await feed.DisposeAsync();
        var view = ProjectViews.Describe(project, null, null);
        await SendAsync(new WsProjectState(id, view, Deleted: true), OverseerJson.Default.WsProjectState, cancellationToken);
        // Told to admins and owners only: whether others could see it is no longer known once its memberships are gone.
        _services.Connections.Broadcast(WsFrames.Of(new WsProjectState(null, view, Deleted: true), OverseerJson.Default.WsProjectState), except: this, adminsOnly: true);
    }

    /// <summary>
    /// Replies <c>project_joined</c>, then streams the project's events after <c>after</c> (from the
    /// start without it). Joining a joined project again restarts its stream from the new position.
    /// </summary>
    private async Task JoinAsync(string? id, WsProjectJoin message, CancellationToken cancellationToken)
    {
        if (!await RequireProjectAndPositionAsync(id, message.ProjectId, message.After, cancellationToken))
            return;
        var projectId = message.ProjectId!;
        if (!_feeds.ContainsKey(projectId) && _feeds.Count >= _services.Options.MaxJoinedProjects)
        {
            await SendErrorAsync(id, WsErrorCodes.TooManyProjects, $"A connection may join at most {_services.Options.MaxJoinedProjects} projects; leave one first.", "projectId", cancellationToken);
            return;
        }
        if (!await MayInProjectAsync(id, projectId, Roles.Viewer, cancellationToken))
            return;
        if (await _services.ReadModel.GetProjectAsync(projectId, cancellationToken) is not { } project)
        {
            await ProjectNotFoundAsync(id, projectId, cancellationToken);
            return;
        }
        // The old stream stops before the reply, so none of its frames follow project_joined.
        if (_feeds.Remove(projectId, out var old))
            await old.DisposeAsync();
        var view = await _services.Views.DescribeAsync(project, cancellationToken);
        await SendAsync(new WsProjectJoined(id, view, view.SessionId), OverseerJson.Default.WsProjectJoined, cancellationToken);
        // The feed asks before each live event whether the caller still may see the project, so a
        // membership removed stops delivery at once (the client is told project_left).
        var user = _user!;
        _feeds[projectId] = new ProjectFeed(_services, _outbox, Id, project, view, message.After, _lifetime.Token,
            async ct => await _services.Access.RoleInAsync(user, projectId, ct) is not null);
    }

    private async Task LeaveAsync(string? id, WsProjectLeave message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ProjectId, "projectId", cancellationToken))
            return;
        if (_feeds.Remove(message.ProjectId!, out var feed))
            await feed.DisposeAsync();
        await SendAsync(new WsProjectLeft(id, message.ProjectId!), OverseerJson.Default.WsProjectLeft, cancellationToken);
    }

    /// <summary>A page of the project's stored events: seq above <c>after</c>, at or after <c>since</c>, oldest first.</summary>
    private async Task GetMessagesAsync(string? id, WsGetMessages message, CancellationToken cancellationToken)
    {
        if (!await RequireProjectAndPositionAsync(id, message.ProjectId, message.After, cancellationToken))
            return;
        if (message.Limit is < 1 or > MaxMessagesLimit)
        {
            await SendErrorAsync(id, WsErrorCodes.ValidationFailed, $"Field 'limit' must be between 1 and {MaxMessagesLimit}.", "limit", cancellationToken);
            return;
        }
        var projectId = message.ProjectId!;
        if (!await MayInProjectAsync(id, projectId, Roles.Viewer, cancellationToken))
            return;
        if (await _services.ReadModel.GetProjectAsync(projectId, cancellationToken) is null)
        {
            await ProjectNotFoundAsync(id, projectId, cancellationToken);
            return;
        }
        var limit = message.Limit ?? 100;
        var sessions = await _services.Views.SessionIdsAsync(projectId, cancellationToken);
        var events = new List<EventEnvelope>();
        var hasMore = false;
        var last = message.After ?? 0;
        // One extra event tells whether there are more; with 'since', older events are skipped page by page.
        var pageSize = message.Since is null ? limit + 1 : _services.CatchUpPageSize;
        while (sessions.Count > 0)
        {
            var (page, next, end) = await _services.Views.ReadPageAsync(sessions, last, pageSize, cancellationToken);
            foreach (var e in page)
            {
                if (message.Since is { } since && e.Ts < since)
                    continue;
                if (events.Count == limit)
                {
                    hasMore = true;
                    break;
                }
                events.Add(e);
            }
            if (hasMore || end)
                break;
            last = next;
        }
        await SendAsync(new WsMessages(id, projectId, events, hasMore), OverseerJson.Default.WsMessages, cancellationToken);
    }

    private ValueTask ProjectNotFoundAsync(string? id, string projectId, CancellationToken cancellationToken) =>
        SendErrorAsync(id, ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'.", "projectId", cancellationToken, projectId: projectId);

    /// <summary>A message naming a project and, optionally, a position in its stream: both checked, an error sent when wrong.</summary>
    private async Task<bool> RequireProjectAndPositionAsync(string? id, string? projectId, long? after, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, projectId, "projectId", cancellationToken))
            return false;
        if (after is >= 0 or null)
            return true;
        await SendErrorAsync(id, WsErrorCodes.ValidationFailed, "Field 'after' must be an event seq (0 or more).", "after", cancellationToken);
        return false;
    }
}
