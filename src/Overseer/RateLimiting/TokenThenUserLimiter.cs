using System.Threading.RateLimiting;

namespace Overseer.RateLimiting;

/// <summary>
/// The token's bucket, then the user's: a request needs a permit from both. Unlike a plain chain
/// it says which one refused (<see cref="Limit"/> on the lease), so the 429 can name the limit.
/// </summary>
internal sealed class TokenThenUserLimiter(PartitionedRateLimiter<HttpContext> perToken, PartitionedRateLimiter<HttpContext> perUser)
    : PartitionedRateLimiter<HttpContext>
{
    /// <summary>The setting whose bucket refused a lease: <c>RateLimits:PerToken</c> or <c>RateLimits:PerUser</c>.</summary>
    public static readonly MetadataName<string> Limit = MetadataName.Create<string>("OVERSEER_LIMIT");

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => perToken.GetStatistics(resource);

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        var token = perToken.AttemptAcquire(resource, permitCount);
        if (!token.IsAcquired)
            return new Lease(token, null, RateLimitOptions.Section + ":PerToken");
        var user = perUser.AttemptAcquire(resource, permitCount);
        return user.IsAcquired ? new Lease(token, user, null) : Refused(token, user);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken)
    {
        var token = await perToken.AcquireAsync(resource, permitCount, cancellationToken);
        if (!token.IsAcquired)
            return new Lease(token, null, RateLimitOptions.Section + ":PerToken");
        var user = await perUser.AcquireAsync(resource, permitCount, cancellationToken);
        return user.IsAcquired ? new Lease(token, user, null) : Refused(token, user);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            perToken.Dispose();
            perUser.Dispose();
        }
        base.Dispose(disposing);
    }

    private static Lease Refused(RateLimitLease token, RateLimitLease user)
    {
        token.Dispose();
        return new Lease(user, null, RateLimitOptions.Section + ":PerUser");
    }

    /// <summary><paramref name="main"/>'s answer and metadata (Retry-After), the refusing limit's name, and both leases to release.</summary>
    private sealed class Lease(RateLimitLease main, RateLimitLease? other, string? limit) : RateLimitLease
    {
        public override bool IsAcquired => main.IsAcquired;

        public override IEnumerable<string> MetadataNames => limit is null ? main.MetadataNames : [.. main.MetadataNames, Limit.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (metadataName == Limit.Name && limit is not null)
            {
                metadata = limit;
                return true;
            }
            return main.TryGetMetadata(metadataName, out metadata);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                main.Dispose();
                other?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
