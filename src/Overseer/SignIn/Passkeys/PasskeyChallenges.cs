using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Overseer.SignIn.Passkeys;

/// <summary>
/// The options each passkey ceremony was started with, until its answer comes back: each is
/// taken once (a replayed answer finds nothing) and only within <see cref="Lifetime"/>.
/// </summary>
internal sealed class PasskeyChallenges(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const int MaxPending = 10_000;

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    /// <summary>Keeps the options and returns the id to answer with; null when too many ceremonies are open.</summary>
    public string? Add(object options, string? userId)
    {
        var now = time.GetUtcNow();
        if (_pending.Count >= MaxPending)
        {
            foreach (var (id, pending) in _pending)
            {
                if (pending.ExpiresAt <= now)
                    _pending.TryRemove(id, out _);
            }
            if (_pending.Count >= MaxPending)
                return null;
        }
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _pending[key] = new Pending(options, userId, now + Lifetime);
        return key;
    }

    /// <summary>The ceremony's options, removed so they cannot be used again; null when unknown, used or expired.</summary>
    public Pending? Take(string id) =>
        _pending.TryRemove(id, out var pending) && pending.ExpiresAt > time.GetUtcNow() ? pending : null;

    /// <param name="UserId">Who started a registration; null for a sign-in.</param>
    public sealed record Pending(object Options, string? UserId, DateTimeOffset ExpiresAt);
}
