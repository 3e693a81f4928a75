using System.Collections.Concurrent;
using System.Security.Claims;
using Overseer.Api;

namespace Overseer.Auth;

/// <summary>
/// The streams and sockets open right now, by the token and the user they were opened with, so
/// that revoking a token, removing or disabling a user, or a token's expiry closes them at once
/// instead of when the client next reconnects. A stream registers when it opens and unregisters
/// (disposes) when it ends; closing calls the close action it registered, once.
/// </summary>
public sealed class LiveConnections(TimeProvider time)
{
    private readonly ConcurrentDictionary<Registration, byte> _open = new();

    public int Count => _open.Count;

    /// <summary>
    /// Registers an open stream or socket of <paramref name="user"/>; <paramref name="close"/> is
    /// called with the reason (once, from any thread) when its access ends. Dispose when it ends.
    /// </summary>
    public IDisposable Register(ClaimsPrincipal user, Action<string> close)
    {
        var registration = new Registration(this, user.TokenId(), user.UserId(), close);
        _open[registration] = 0;
        if (user.TokenExpiresAt() is { } expires)
        {
            var due = expires - time.GetUtcNow();
            registration.ExpiryTimer = time.CreateTimer(static state => ((Registration)state!).Close("token expired"), registration,
                due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        }
        return registration;
    }

    /// <summary>Closes everything opened with the token; returns how many.</summary>
    public int CloseToken(string tokenId, string reason) => Close(r => r.TokenId == tokenId, reason);

    /// <summary>Closes everything the user opened, with any of their tokens; returns how many.</summary>
    public int CloseUser(string userId, string reason) => Close(r => r.UserId == userId, reason);

    private int Close(Func<Registration, bool> match, string reason)
    {
        var closed = 0;
        foreach (var registration in _open.Keys)
        {
            if (match(registration) && registration.Close(reason))
                closed++;
        }
        return closed;
    }

    private sealed class Registration(LiveConnections owner, string? tokenId, string? userId, Action<string> close) : IDisposable
    {
        private int _done;

        public string? TokenId => tokenId;
        public string? UserId => userId;
        public ITimer? ExpiryTimer { get; set; }

        public bool Close(string reason)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0)
                return false;
            Remove();
            close(reason);
            return true;
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _done, 1);
            Remove();
        }

        private void Remove()
        {
            owner._open.TryRemove(this, out _);
            ExpiryTimer?.Dispose();
        }
    }
}
