using Microsoft.Data.Sqlite;
using Overseer.Contracts.Monitoring;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteMonitoringStore(SqliteDatabase database) : IMonitoringStore
{
    /// <summary>Results older than a day are kept as sums per bucket of this size.</summary>
    public static readonly TimeSpan RollupBucket = TimeSpan.FromMinutes(5);

    private const string AlertColumns =
        "id, rule_id, rule_name, check_id, severity, status, message, value, raised_at, resolved_at, acked_by, acked_at, silenced_until, silenced_by, runbook_session_id, runbook_error, flapping";

    public async Task<IReadOnlyList<StoredDefinition>> ListDefinitionsAsync(string kind, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, definition, created_by, created_at FROM monitor_definitions WHERE kind = $kind ORDER BY id";
        command.Parameters.AddWithValue("$kind", kind);
        var list = new List<StoredDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new StoredDefinition(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicros.ToDateTimeOffset(reader.GetInt64(3))));
        return list;
    }

    public async Task<bool> AddDefinitionAsync(string kind, StoredDefinition definition, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO monitor_definitions(kind, id, definition, created_by, created_at) VALUES ($kind, $id, $json, $by, $at)";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$id", definition.Id);
        command.Parameters.AddWithValue("$json", definition.Json);
        command.Parameters.AddWithValue("$by", definition.CreatedBy);
        command.Parameters.AddWithValue("$at", UnixMicros.From(definition.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> DeleteDefinitionAsync(string kind, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM monitor_definitions WHERE kind = $kind AND id = $id";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task AddSamplesAsync(IReadOnlyList<CheckSample> samples, CancellationToken cancellationToken = default)
    {
        if (samples.Count == 0)
            return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO check_samples(check_id, ts, value, ok) VALUES ($id, $ts, $value, $ok)";
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var ts = command.Parameters.Add("$ts", SqliteType.Integer);
        var value = command.Parameters.Add("$value", SqliteType.Real);
        var ok = command.Parameters.Add("$ok", SqliteType.Integer);
        foreach (var sample in samples)
        {
            id.Value = sample.CheckId;
            ts.Value = UnixMicros.From(sample.At);
            value.Value = sample.Value is { } v && double.IsFinite(v) ? v : DBNull.Value;
            ok.Value = sample.Ok ? 1 : 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CheckSampleDto>> SeriesAsync(string checkId, DateTimeOffset from, TimeSpan bucket, DateTimeOffset rawSince, CancellationToken cancellationToken = default)
    {
        var width = Math.Max(1, bucket.Ticks / 10);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // Older than a day only the 5-minute sums are left; a bucket never mixes the two.
        command.CommandText =
            """
            SELECT b, CASE WHEN SUM(vc) > 0 THEN SUM(vs) / SUM(vc) END, CAST(SUM(oc) AS REAL) / SUM(c) FROM (
                SELECT (bucket / $w) * $w AS b, value_sum AS vs, value_count AS vc, ok_count AS oc, count AS c
                FROM check_rollups WHERE check_id = $id AND bucket >= $from AND bucket < $raw
                UNION ALL
                SELECT (ts / $w) * $w, COALESCE(value, 0), value IS NOT NULL, ok, 1
                FROM check_samples WHERE check_id = $id AND ts >= MAX($from, $raw)
            ) GROUP BY b ORDER BY b
            """;
        command.Parameters.AddWithValue("$id", checkId);
        command.Parameters.AddWithValue("$w", width);
        command.Parameters.AddWithValue("$from", UnixMicros.From(from));
        command.Parameters.AddWithValue("$raw", UnixMicros.From(rawSince));
        var list = new List<CheckSampleDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new CheckSampleDto(UnixMicros.ToDateTimeOffset(reader.GetInt64(0)), reader.IsDBNull(1) ? null : reader.GetDouble(1), reader.GetDouble(2)));
        return list;
    }

    public async Task<IReadOnlyDictionary<string, CheckSample>> LatestSamplesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT check_id, MAX(ts), value, ok FROM check_samples GROUP BY check_id";
        var latest = new Dictionary<string, CheckSample>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            latest[id] = new CheckSample(id, UnixMicros.ToDateTimeOffset(reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetDouble(2), reader.GetInt64(3) == 1);
        }
        return latest;
    }

    public async Task<int> CompactAsync(DateTimeOffset rawBefore, DateTimeOffset rollupsBefore, CancellationToken cancellationToken = default)
    {
        var width = RollupBucket.Ticks / 10;
        // Only whole buckets are rolled up, so a bucket is summed once.
        var cutoff = UnixMicros.From(rawBefore) / width * width;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO check_rollups(check_id, bucket, value_sum, value_count, ok_count, count)
            SELECT check_id, (ts / $w) * $w, COALESCE(SUM(value), 0), COUNT(value), SUM(ok), COUNT(*) FROM check_samples WHERE ts < $cutoff GROUP BY check_id, (ts / $w)
            ON CONFLICT(check_id, bucket) DO UPDATE SET value_sum = value_sum + excluded.value_sum, value_count = value_count + excluded.value_count,
                ok_count = ok_count + excluded.ok_count, count = count + excluded.count;
            DELETE FROM check_samples WHERE ts < $cutoff;
            DELETE FROM check_rollups WHERE bucket < $old;
            """;
        command.Parameters.AddWithValue("$w", width);
        command.Parameters.AddWithValue("$cutoff", cutoff);
        command.Parameters.AddWithValue("$old", UnixMicros.From(rollupsBefore));
        var changed = await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }

    public async Task<IReadOnlyList<AlertDto>> ListAlertsAsync(string? status, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AlertColumns} FROM alerts WHERE $status IS NULL OR status = $status ORDER BY raised_at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$status", (object?)status ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<AlertDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(ReadAlert(reader));
        return list;
    }

    public async Task<AlertDto?> FindAlertAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AlertColumns} FROM alerts WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAlert(reader) : null;
    }

    public async Task<DateTimeOffset?> SilencedUntilAsync(string ruleId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(silenced_until) FROM alerts WHERE rule_id = $rule AND silenced_until > $now";
        command.Parameters.AddWithValue("$rule", ruleId);
        command.Parameters.AddWithValue("$now", UnixMicros.From(now));
        return UnixMicros.ToNullable(await command.ExecuteScalarAsync(cancellationToken) ?? DBNull.Value);
    }

    public async Task<DateTimeOffset?> LastRunbookAsync(string ruleId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(runbook_at) FROM alerts WHERE rule_id = $rule AND runbook_session_id IS NOT NULL";
        command.Parameters.AddWithValue("$rule", ruleId);
        return UnixMicros.ToNullable(await command.ExecuteScalarAsync(cancellationToken) ?? DBNull.Value);
    }

    private static AlertDto ReadAlert(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
        r.IsDBNull(7) ? null : r.GetDouble(7), UnixMicros.ToDateTimeOffset(r.GetInt64(8)), Micros(r, 9),
        r.IsDBNull(10) ? null : r.GetString(10), Micros(r, 11), Micros(r, 12), r.IsDBNull(13) ? null : r.GetString(13),
        r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15), r.GetInt64(16) == 1);

    private static DateTimeOffset? Micros(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : UnixMicros.ToDateTimeOffset(r.GetInt64(i));
}
