namespace Overseer.TestKit;

public static class Poll
{
    /// <summary>Re-evaluates <paramref name="probe"/> until it yields a value <paramref name="done"/> accepts, or fails after the timeout.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
                return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "a condition"}; last value: {last}");
            await Task.Delay(20);
        }
    }
}
