namespace Overseer.Hosting;

/// <summary>The wait before a background worker's next attempt at something that failed: doubling from the first, capped.</summary>
internal static class Backoff
{
    /// <param name="attempt">The attempt that failed, from 1: the first failure waits <paramref name="first"/>.</param>
    public static TimeSpan After(int attempt, TimeSpan first, TimeSpan max)
    {
        var delay = first * Math.Pow(2, Math.Min(attempt - 1, 30));
        return delay < max ? delay : max;
    }
}
