using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.WebSockets;

/// <summary>
/// Follows a project's open sessions as its events stream past, to know its current session
/// (the newest open one) without a query per event. Starts from a read-model snapshot that may
/// already include some of the events applied afterwards, so every step is idempotent.
/// </summary>
internal sealed class CurrentSessionTracker(IEnumerable<SessionDto> openOldestFirst)
{
    private readonly List<(string Id, SessionStatus? Status)> _open = [.. openOldestFirst.Select(s => (s.Id, (SessionStatus?)s.Status))];

    /// <summary>The newest open session that has a status yet (a just-created one counts from its first status).</summary>
    public (string? Id, SessionStatus? Status) Current
    {
        get
        {
            for (var i = _open.Count - 1; i >= 0; i--)
            {
                if (_open[i].Status is not null)
                    return _open[i];
            }
            return (null, null);
        }
    }

    /// <summary>Applies one event of the project; true when the current session or its status may have changed.</summary>
    public bool Apply(EventEnvelope e)
    {
        if (e.SessionId is not { } id)
            return false;
        var index = _open.FindLastIndex(s => s.Id == id);
        if (e.Type == EventTypes.SessionCreated)
        {
            if (index < 0)
                _open.Add((id, null));
            return false;
        }
        // A session not in the list has already ended (or ended before the snapshot): nothing to follow.
        if (index < 0 || ProjectViews.StatusAfter(e) is not { } status)
            return false;
        if (ProjectViews.IsOpen(status))
            _open[index] = (id, status);
        else
            _open.RemoveAt(index);
        return true;
    }
}
