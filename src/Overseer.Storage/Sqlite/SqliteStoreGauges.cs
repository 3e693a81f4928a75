namespace Overseer.Storage.Sqlite;

/// <summary>
/// Two grouped counts on a reader connection. A scrape asks for each gauge in turn; they share
/// one read for as long as nothing new is committed (the counts are projections of the log), so
/// a scrape costs the store at most two small queries and an idle server's none.
/// </summary>
internal sealed class SqliteStoreGauges(SqliteDatabase database, IEventStore events) : IStoreGauges
{
    private readonly Lock _gate = new();
    private (StoreGaugeSnapshot Snapshot, long Seq)? _last;

    public StoreGaugeSnapshot Read()
    {
        lock (_gate)
        {
            var seq = events.LastSeq;
            if (_last is { } last && last.Seq == seq)
                return last.Snapshot;
            var snapshot = Query();
            _last = (snapshot, seq);
            return snapshot;
        }
    }

    private StoreGaugeSnapshot Query()
    {
        // A metrics callback is synchronous; opening a SQLite connection does no real I/O wait.
        using var connection = database.OpenAsync().GetAwaiter().GetResult();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*) FROM sessions WHERE status <> 'deleted' GROUP BY status";
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                byStatus[reader.GetString(0)] = reader.GetInt64(1);
        }
        command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM approvals WHERE status = 'pending' AND session_id NOT IN (SELECT id FROM sessions WHERE status = 'deleted')";
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : UnixMicros.ToDateTimeOffset(reader.GetInt64(1));
            return new StoreGaugeSnapshot(byStatus, reader.GetInt64(0), oldest);
        }
    }
}
