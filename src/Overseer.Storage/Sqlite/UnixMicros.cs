namespace Overseer.Storage.Sqlite;

/// <summary>Timestamps are stored as unix microseconds: latency is measured below a millisecond.</summary>
internal static class UnixMicros
{
    public static long From(DateTimeOffset value) => (value.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTimeOffset ToDateTimeOffset(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), TimeSpan.Zero);

    public static DateTimeOffset? ToNullable(object value) => value is long micros ? ToDateTimeOffset(micros) : null;
}
