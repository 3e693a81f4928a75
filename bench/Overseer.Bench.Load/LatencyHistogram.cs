namespace Overseer.Bench.Load;

/// <summary>
/// Latencies in microseconds, HDR style: exact below 128 µs, then 64 buckets per power of two
/// (under 1.6 % error). Fixed memory and no allocation per sample, so recording does not
/// disturb what it measures. Not thread-safe: one per subscriber, merged at the end.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBuckets = 64;
    private const int SubBucketBits = 6;
    private const int MaxMsb = 40; // 2^41 µs is ~25 days; larger values are clamped
    private readonly long[] _counts = new long[LinearLimit + ((MaxMsb - SubBucketBits) * SubBuckets)];

    public long Count { get; private set; }

    public long MaxMicros { get; private set; }

    public void Record(long micros)
    {
        micros = Math.Clamp(micros, 0, (1L << (MaxMsb + 1)) - 1);
        _counts[IndexOf(micros)]++;
        Count++;
        if (micros > MaxMicros)
            MaxMicros = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        Count += other.Count;
        MaxMicros = Math.Max(MaxMicros, other.MaxMicros);
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in milliseconds; 0 when empty.</summary>
    public double PercentileMs(double q)
    {
        if (Count == 0)
            return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(MidpointOf(i), MaxMicros) / 1000.0;
        }

        return MaxMicros / 1000.0;
    }

    private static int IndexOf(long micros)
    {
        if (micros < LinearLimit)
            return (int)micros;
        var msb = 63 - (int)long.LeadingZeroCount(micros);
        var shift = msb - SubBucketBits;
        return LinearLimit + ((shift - 1) * SubBuckets) + (int)((micros >> shift) - SubBuckets);
    }

    private static double MidpointOf(int index)
    {
        if (index < LinearLimit)
            return index;
        var shift = ((index - LinearLimit) / SubBuckets) + 1;
        var lower = (long)(((index - LinearLimit) % SubBuckets) + SubBuckets) << shift;
        return lower + (((1L << shift) - 1) / 2.0);
    }
}
