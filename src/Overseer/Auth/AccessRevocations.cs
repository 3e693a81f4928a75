using Overseer.Contracts.Events;

namespace Overseer.Auth;

/// <summary>
/// What must happen the moment someone's access shrinks: the next request with the token is
/// refused (the principal and membership caches are cleared and every dashboard cookie is checked again; the store already says revoked, removed or disabled)
/// and every stream and socket opened with it closes. Call it after the store has changed:
/// <see cref="TokenRevoked"/> after revoking a token, <see cref="UserChanged"/> after removing,
/// disabling or demoting a user or changing their memberships.
/// </summary>
public sealed partial class AccessRevocations(AccessChanges changes, LiveConnections connections, ILogger<AccessRevocations> logger)
{
    /// <summary>A token was revoked: its streams and sockets close; returns how many.</summary>
    public int TokenRevoked(string tokenId)
    {
        changes.Changed();
        var closed = connections.CloseToken(tokenId, "token revoked");
        LogTokenRevoked(tokenId, closed);
        return closed;
    }

    /// <summary>
    /// A user was removed, disabled or demoted, or their memberships changed: the streams and
    /// sockets of all their tokens close (a client still allowed reconnects with its new rights).
    /// </summary>
    public int UserChanged(string userId, string reason = "access changed")
    {
        changes.Changed();
        var closed = connections.CloseUser(userId, reason);
        LogUserChanged(userId, reason, closed);
        return closed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} revoked; {Closed} open stream(s) and socket(s) closed")]
    private partial void LogTokenRevoked(string tokenId, int closed);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: {Reason}; {Closed} open stream(s) and socket(s) closed")]
    private partial void LogUserChanged(string userId, string reason, int closed);
}
