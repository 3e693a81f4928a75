using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Overseer.Dashboard;

namespace Overseer.SignIn;

/// <summary>
/// Sign-in attempts per client address (<c>Dashboard:LoginAttemptsPerMinute</c>): every sign-in
/// post (password, token, passkey) counts. More answer 429 with <c>Retry-After</c>, on the page.
/// </summary>
internal sealed class SignInRateLimitPolicy(IOptions<DashboardOptions> options) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
        await SignInPage.TooManyAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.LoginAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) });
}
