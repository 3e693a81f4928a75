using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

/// <summary>The legal transitions of DESIGN.md §4; anything else is INVALID_STATE.</summary>
public static class SessionStateMachine
{
    private static readonly SessionStatus[] LiveStates =
    [
        SessionStatus.Queued, SessionStatus.Starting, SessionStatus.Running, SessionStatus.Waiting,
        SessionStatus.Idle, SessionStatus.Paused, SessionStatus.RateLimited, SessionStatus.Interrupted,
    ];

    private static readonly HashSet<(SessionStatus From, SessionStatus To)> Allowed = Build();

    private static HashSet<(SessionStatus, SessionStatus)> Build()
    {
        var allowed = new HashSet<(SessionStatus, SessionStatus)>
        {
            (SessionStatus.Queued, SessionStatus.Starting),
            (SessionStatus.Starting, SessionStatus.Running),
            (SessionStatus.Starting, SessionStatus.Failed),
            (SessionStatus.Running, SessionStatus.Waiting),
            (SessionStatus.Waiting, SessionStatus.Running),
            (SessionStatus.Running, SessionStatus.Idle),
            // An interrupt or a failure can end a turn that is waiting on a person.
            (SessionStatus.Waiting, SessionStatus.Idle),
            (SessionStatus.Waiting, SessionStatus.Failed),
            (SessionStatus.Idle, SessionStatus.Running),
            (SessionStatus.Running, SessionStatus.Paused),
            (SessionStatus.Waiting, SessionStatus.Paused),
            (SessionStatus.Paused, SessionStatus.Running),
            (SessionStatus.Paused, SessionStatus.Waiting),
            (SessionStatus.Running, SessionStatus.RateLimited),
            (SessionStatus.RateLimited, SessionStatus.Running),
            (SessionStatus.Running, SessionStatus.Failed),
            (SessionStatus.Idle, SessionStatus.Completed),
            (SessionStatus.Failed, SessionStatus.Completed),
            (SessionStatus.Interrupted, SessionStatus.Running),
            // A draft is started (queued) or deleted; an ended session can be deleted. A live one
            // is cancelled first, so it is never deleted while its agent still runs.
            (SessionStatus.Draft, SessionStatus.Queued),
            (SessionStatus.Draft, SessionStatus.Deleted),
            (SessionStatus.Completed, SessionStatus.Deleted),
            (SessionStatus.Failed, SessionStatus.Deleted),
            (SessionStatus.Cancelled, SessionStatus.Deleted),
        };
        foreach (var live in LiveStates)
            allowed.Add((live, SessionStatus.Cancelled));
        foreach (var live in new[] { SessionStatus.Starting, SessionStatus.Running, SessionStatus.Waiting, SessionStatus.Paused, SessionStatus.RateLimited })
            allowed.Add((live, SessionStatus.Interrupted));
        return allowed;
    }

    public static bool IsAllowed(SessionStatus from, SessionStatus to) => Allowed.Contains((from, to));

    /// <summary>States in which the agent is working on a turn (they hold a concurrency slot).</summary>
    public static bool IsActive(SessionStatus status) =>
        status is SessionStatus.Starting or SessionStatus.Running or SessionStatus.Waiting or SessionStatus.Paused or SessionStatus.RateLimited;

    /// <summary>The stored event type for a transition (DESIGN.md §4 names).</summary>
    public static string EventType(SessionStatus from, SessionStatus to) => (from, to) switch
    {
        (SessionStatus.Starting, SessionStatus.Running) => EventTypes.SessionStarted,
        (SessionStatus.Paused or SessionStatus.RateLimited or SessionStatus.Interrupted, SessionStatus.Running) => EventTypes.SessionResumed,
        _ => to.EventType(),
    };
}
