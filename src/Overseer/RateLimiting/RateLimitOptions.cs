namespace Overseer.RateLimiting;

/// <summary>
/// <c>RateLimits:PerToken</c> and <c>RateLimits:PerUser</c>: token buckets that every
/// authenticated request (and each stream or socket, once when it opens) takes one permit from.
/// The defaults are far above what a person, a dashboard tab or the CLI sends; they stop a
/// runaway script, not a user.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Each API token on its own.</summary>
    public TokenBucketSettings PerToken { get; set; } = new() { PermitsPerSecond = 100, Burst = 1000 };

    /// <summary>A user across all of their tokens and dashboard sessions.</summary>
    public TokenBucketSettings PerUser { get; set; } = new() { PermitsPerSecond = 200, Burst = 2000 };
}

/// <summary>A bucket holding up to <see cref="Burst"/> permits, refilled by <see cref="PermitsPerSecond"/> every second.</summary>
public sealed class TokenBucketSettings
{
    public int PermitsPerSecond { get; set; }

    public int Burst { get; set; }
}
