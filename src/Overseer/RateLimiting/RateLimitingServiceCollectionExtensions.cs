using Microsoft.AspNetCore.RateLimiting;

namespace Overseer.RateLimiting;

public static class RateLimitingServiceCollectionExtensions
{
    /// <summary>Per-token and per-user token buckets over every signed-in request (<see cref="RateLimitOptions"/>).</summary>
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => Valid(o.PerToken), "RateLimits:PerToken needs PermitsPerSecond from 1 to 1000000 and Burst from 1 to 1000000, at least PermitsPerSecond.")
            .Validate(o => Valid(o.PerUser), "RateLimits:PerUser needs PermitsPerSecond from 1 to 1000000 and Burst from 1 to 1000000, at least PermitsPerSecond.")
            .ValidateOnStart();
        services.AddSingleton<ApiRateLimits>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiRateLimits>((o, limits) =>
        {
            o.GlobalLimiter = limits.Limiter;
            o.OnRejected = limits.OnRejectedAsync;
        });
        return services;
    }

    private static bool Valid(TokenBucketSettings? bucket) =>
        bucket is { PermitsPerSecond: >= 1 and <= 1_000_000, Burst: >= 1 and <= 1_000_000 } && bucket.Burst >= bucket.PermitsPerSecond;
}
