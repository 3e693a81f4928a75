using Overseer.Streaming;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;
using Overseer.Storage;

namespace Overseer.WebSockets;

/// <summary>
/// Seed 004's view of a project: IDLE, EXECUTING or ERROR, from the status of its current
/// session, which is its newest session that is still open (not completed or cancelled).
/// </summary>
internal sealed class ProjectViews(IReadModel readModel, IEventStore store, SessionProjects index)
{
    // Past this many sessions one query's parameter list gets unwieldy (SQLite allows 32766
    // in all); reading every event and keeping the project's is then the cheaper way.
    private const int MaxSessionFilter = 500;

    // Open sessions of one project tracked at most: more at once is not a realistic project.
    private const int MaxOpenSessions = 1000;

    private static readonly SessionStatus[] OpenStatuses = [.. Enum.GetValues<SessionStatus>().Where(IsOpen)];

    /// <summary>A draft is not under way yet and a deleted session is gone: neither is a project's current session.</summary>
    public static bool IsOpen(SessionStatus status) => status is not (SessionStatus.Completed or SessionStatus.Cancelled or SessionStatus.Draft or SessionStatus.Deleted);

    public static string StateOf(SessionStatus? status) => status switch
    {
        null or SessionStatus.Idle or SessionStatus.Interrupted or SessionStatus.Completed or SessionStatus.Cancelled or SessionStatus.Draft or SessionStatus.Deleted => ProjectStates.Idle,
        SessionStatus.Failed => ProjectStates.Error,
        _ => ProjectStates.Executing,
    };

    /// <summary>True while the session is working on (or held in) a turn and cannot take a prompt.</summary>
    public static bool IsBusy(SessionStatus status) => StateOf(status) == ProjectStates.Executing;

    public static WsProject Describe(ProjectDto project, string? sessionId, SessionStatus? status) =>
        new(project.Id, project.Name, project.Path, project.CreatedAt, StateOf(status), sessionId, status);

    public async Task<SessionDto?> CurrentSessionAsync(string projectId, CancellationToken cancellationToken) =>
        (await readModel.ListSessionsAsync(new SessionQuery(OpenStatuses, projectId, Limit: 1, PromptPreview: ListLimits.PromptPreviewChars), cancellationToken)).Items.FirstOrDefault();

    /// <summary>The project's open sessions, oldest first.</summary>
    public async Task<List<SessionDto>> OpenSessionsAsync(string projectId, CancellationToken cancellationToken)
    {
        var page = await readModel.ListSessionsAsync(new SessionQuery(OpenStatuses, projectId, Limit: MaxOpenSessions, PromptPreview: ListLimits.PromptPreviewChars), cancellationToken);
        return [.. page.Items.Reverse()];
    }

    public async Task<WsProject> DescribeAsync(ProjectDto project, CancellationToken cancellationToken)
    {
        var current = await CurrentSessionAsync(project.Id, cancellationToken);
        return Describe(project, current?.Id, current?.Status);
    }

    /// <summary>Every session of the project (and remembers each one's project on the way).</summary>
    public async Task<HashSet<string>> SessionIdsAsync(string projectId, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await readModel.ListSessionsAsync(new SessionQuery(ProjectId: projectId, Cursor: cursor, Limit: 1000, PromptPreview: ListLimits.PromptPreviewChars), cancellationToken);
            foreach (var session in page.Items)
            {
                ids.Add(session.Id);
                index.Remember(session.Id, projectId);
            }
            cursor = page.Next;
        }
        while (cursor is not null);
        return ids;
    }

    /// <summary>
    /// The project's stored events in the next page above <paramref name="afterSeq"/>, plus where
    /// the next page starts and whether this was the last.
    /// </summary>
    public async Task<(IReadOnlyList<EventEnvelope> Events, long Next, bool End)> ReadPageAsync(
        IReadOnlySet<string> sessions, long afterSeq, int pageSize, CancellationToken cancellationToken)
    {
        var filter = sessions.Count <= MaxSessionFilter ? sessions : null;
        var page = await store.ReadAsync(afterSeq, pageSize, filter, cancellationToken);
        IReadOnlyList<EventEnvelope> events = filter is null
            ? page.Where(e => e.SessionId is not null && sessions.Contains(e.SessionId)).ToList()
            : page;
        return (events, page.Count > 0 ? page[^1].Seq : afterSeq, page.Count < pageSize);
    }

    /// <summary>The status a <c>session.*</c> event moves its session to, if it is a state change.</summary>
    public static SessionStatus? StatusAfter(EventEnvelope e) =>
        EventTypes.IsStateChange(e.Type)
        && e.Data.ValueKind == System.Text.Json.JsonValueKind.Object
        && e.Data.TryGetProperty("to", out var to)
        && to.ValueKind == System.Text.Json.JsonValueKind.String
        && SessionStatusNames.TryParse(to.GetString(), out var status)
            ? status
            : null;
}
