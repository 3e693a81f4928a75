using Overseer.Contracts.Api;

namespace Overseer.Core.Retries;

/// <summary>The limits of a retry policy, and the backoff it gives.</summary>
public static class RetryPolicies
{
    public const int MaxAttempts = 10;
    public const int MaxInitialDelaySeconds = 24 * 60 * 60;
    public const int MaxDelaySeconds = 7 * 24 * 60 * 60;
    public const double MaxMultiplier = 10;

    /// <summary>What is wrong with a policy, naming the field under <paramref name="prefix"/> (<c>retry</c>, <c>defaults.retry</c>); null when nothing is.</summary>
    public static (string Message, string Field)? Problem(RetryPolicyDto? policy, string prefix = "retry")
    {
        if (policy is null)
            return null;
        if (policy.MaxAttempts is < 1 or > MaxAttempts)
            return ($"{prefix}.maxAttempts must be from 1 to {MaxAttempts} (the first attempt counts).", prefix + ".maxAttempts");
        if (policy.InitialDelaySeconds is < 0 or > MaxInitialDelaySeconds)
            return ($"{prefix}.initialDelaySeconds must be from 0 to {MaxInitialDelaySeconds} (a day).", prefix + ".initialDelaySeconds");
        if (policy.MaxDelaySeconds < policy.InitialDelaySeconds || policy.MaxDelaySeconds > MaxDelaySeconds)
            return ($"{prefix}.maxDelaySeconds must be at least initialDelaySeconds ({policy.InitialDelaySeconds}) and at most {MaxDelaySeconds} (a week).", prefix + ".maxDelaySeconds");
        if (!double.IsFinite(policy.Multiplier) || policy.Multiplier is < 1 or > MaxMultiplier)
            return ($"{prefix}.multiplier must be from 1 to {MaxMultiplier}.", prefix + ".multiplier");
        return null;
    }

    /// <summary>How long after attempt <paramref name="failedAttempt"/> failed the next one starts: initial × multiplier^(n−1), capped.</summary>
    public static TimeSpan Delay(RetryPolicyDto policy, int failedAttempt)
    {
        var seconds = policy.InitialDelaySeconds * Math.Pow(policy.Multiplier, Math.Max(0, failedAttempt - 1));
        return TimeSpan.FromSeconds(Math.Min(double.IsFinite(seconds) ? seconds : double.MaxValue, policy.MaxDelaySeconds));
    }
}
