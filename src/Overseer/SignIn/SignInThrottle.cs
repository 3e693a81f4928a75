using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Overseer.Dashboard;

namespace Overseer.SignIn;

/// <summary>
/// Password attempts per user name (<c>Dashboard:LoginAttemptsPerUserPerMinute</c>), whichever
/// addresses they come from: guessing one person's password from many addresses stays slow. The
/// name is read from the form, so this is asked by the sign-in itself rather than the middleware.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _byName;

    public SignInThrottle(IOptions<DashboardOptions> options)
    {
        var limit = options.Value.LoginAttemptsPerUserPerMinute;
        _byName = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(
            name,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1) }));
    }

    /// <summary>Null when the attempt may go ahead, otherwise how long to wait.</summary>
    public TimeSpan? TryAttempt(string name)
    {
        using var lease = _byName.AttemptAcquire(name.ToUpperInvariant());
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _byName.Dispose();
}
