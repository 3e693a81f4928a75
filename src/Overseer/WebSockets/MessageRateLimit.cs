namespace Overseer.WebSockets;

/// <summary>
/// A token bucket: a burst of up to a minute's allowance, refilled continuously. Used by one
/// receive loop only, so it needs no lock and no timer.
/// </summary>
internal sealed class MessageRateLimit(int perMinute, TimeProvider time)
{
    private readonly double _perTick = perMinute / (double)TimeSpan.FromMinutes(1).Ticks;
    private double _tokens = perMinute;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_last, now).Ticks;
        _last = now;
        _tokens = Math.Min(perMinute, _tokens + elapsed * _perTick);
        if (_tokens < 1)
            return false;
        _tokens--;
        return true;
    }
}
