using System.Collections.Concurrent;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Streaming;

/// <summary>
/// Which project each session belongs to, so a project's feed (and a caller's visibility filter)
/// can pick its events out of the hub's stream. A session never changes project, so an answer is cached for good; most are
/// learnt from the <c>session.created</c> event itself and cost no query.
/// </summary>
internal sealed class SessionProjects(IReadModel readModel)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, string> _projects = new(StringComparer.Ordinal);

    public void Remember(string sessionId, string projectId)
    {
        // Bounded: forgetting only costs a query the next time.
        if (_projects.Count >= MaxEntries)
            _projects.Clear();
        _projects[sessionId] = projectId;
    }

    /// <summary>The project of the event's session; null for events outside a session or of an unknown one.</summary>
    public async ValueTask<string?> ProjectOfAsync(EventEnvelope e, CancellationToken cancellationToken)
    {
        if (e.SessionId is not { } sessionId)
            return null;
        if (_projects.TryGetValue(sessionId, out var known))
            return known;
        string? projectId;
        if (e.Type == EventTypes.SessionCreated && e.Data.TryGetProperty("projectId", out var id) && id.ValueKind == System.Text.Json.JsonValueKind.String)
            projectId = id.GetString();
        else
            // A deleted session's events stay in the log, in its project: a live page learns it is gone.
            projectId = (await readModel.GetSessionAsync(sessionId, cancellationToken) ?? await readModel.GetDeletedSessionAsync(sessionId, cancellationToken))?.ProjectId;
        if (projectId is not null)
            Remember(sessionId, projectId);
        return projectId;
    }
}
