using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Overseer.Api;
using Overseer.Contracts.Api;

namespace Overseer.RateLimiting;

/// <summary>
/// The two token buckets every signed-in request goes through, per token and then per user
/// (ASP.NET Core's rate limiter, partitioned by the principal's token id and user id). A refused
/// request gets 429 with <c>Retry-After</c> and a problem detail naming the limit it hit.
/// Requests without a principal (sign-in, health) are limited elsewhere, or not at all.
/// </summary>
internal sealed class ApiRateLimits : IDisposable
{
    private readonly RateLimitOptions _options;

    public ApiRateLimits(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        Limiter = new TokenThenUserLimiter(
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.TokenId() is { } tokenId
                    ? RateLimitPartition.GetTokenBucketLimiter(tokenId, _ => Bucket(_options.PerToken))
                    : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.UserId() is { } userId
                    ? RateLimitPartition.GetTokenBucketLimiter(userId, _ => Bucket(_options.PerUser))
                    : RateLimitPartition.GetNoLimiter("")));
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    public async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        // Another policy's refusal (the sign-in form's) carries no limit name.
        rejected.Lease.TryGetMetadata(TokenThenUserLimiter.Limit, out var name);
        var (limit, whose) = name == RateLimitOptions.Section + ":PerToken" ? (_options.PerToken, "this token")
            : name == RateLimitOptions.Section + ":PerUser" ? (_options.PerUser, "this user")
            : (null, null);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = limit is null
            ? $"Too many requests; try again in {seconds} s."
            : $"Too many requests for {whose}: the limit ({name}) is {limit.PermitsPerSecond} a second with bursts of {limit.Burst}. Try again in {seconds} s.";
        await Problems.Write(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, detail);
    }

    public void Dispose() => Limiter.Dispose();

    private static TokenBucketRateLimiterOptions Bucket(TokenBucketSettings settings) => new()
    {
        TokenLimit = settings.Burst,
        TokensPerPeriod = settings.PermitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        AutoReplenishment = true,
        QueueLimit = 0,
    };
}
