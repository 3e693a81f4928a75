using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteScheduleStore(SqliteDatabase database) : IScheduleStore
{
    private const string Columns =
        "id, name, project_id, template_id, parameters, cron, time_zone, enabled, missed_policy, overlap_policy, retry, options, " +
        "created_by, created_by_user_id, created_by_token_id, created_at, updated_at, last_slot, next_slot";

    private const string RunColumns = "r.id, r.schedule_id, r.slot, r.trigger, r.status, r.session_id, r.reason, r.by_name, r.by_user_id, r.created_at";

    // A run's chain: its session and every retry of it (their first_attempt_id is the run's session).
    private const string Chain = "(s.id = r.session_id OR s.first_attempt_id = r.session_id)";

    private const string RunRowColumns =
        RunColumns + $"""
        ,
        (SELECT s.id FROM sessions s WHERE {Chain} ORDER BY COALESCE(s.attempt, 1) DESC LIMIT 1),
        (SELECT s.status FROM sessions s WHERE {Chain} ORDER BY COALESCE(s.attempt, 1) DESC LIMIT 1),
        (SELECT COUNT(*) FROM sessions s WHERE {Chain}),
        (SELECT COALESCE(SUM(s.cost_nano_usd), 0) FROM sessions s WHERE {Chain})
        """;

    // Working: an attempt in a state that does work (or waits for a slot to), or a retry to come.
    private const string Working =
        $"""
        r.status IN ('pending', 'queued')
        OR (r.status = 'started' AND (
            EXISTS (SELECT 1 FROM sessions s WHERE {Chain} AND s.status IN ('queued', 'starting', 'running', 'waiting', 'paused', 'rate_limited'))
            OR EXISTS (SELECT 1 FROM session_retries x WHERE x.first_attempt_id = r.session_id AND x.status = 'scheduled')
            OR EXISTS (SELECT 1 FROM sessions s WHERE {Chain} AND s.status = 'failed' AND s.retry_policy IS NOT NULL
                AND COALESCE(s.attempt, 1) < json_extract(s.retry_policy, '$.maxAttempts')
                AND NOT EXISTS (SELECT 1 FROM session_retries x WHERE x.session_id = s.id))))
        """;

    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default)
    {
        if (projects is { Count: 0 })
            return [];
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var where = "";
        if (projects is not null)
        {
            var names = projects.Select((p, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)).ToList();
            where = $"WHERE project_id IN ({string.Join(", ", names)})";
            var index = 0;
            foreach (var project in projects)
                command.Parameters.AddWithValue(names[index++], project);
        }
        command.CommandText = $"SELECT {Columns} FROM schedules {where} ORDER BY project_id, name COLLATE NOCASE";
        var schedules = new List<ScheduleRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            schedules.Add(Read(reader));
        return schedules;
    }

    public async Task<ScheduleRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM schedules WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> AddAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            INSERT INTO schedules({Columns}) VALUES ($id, $name, $project, $template, $parameters, $cron, $zone, $enabled, $missed, $overlap, $retry, $options,
                $by, $byUser, $byToken, $created, $updated, $last, $next) ON CONFLICT DO NOTHING
            """;
        Bind(command, schedule);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool?> UpdateAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            UPDATE schedules SET name = $name, project_id = $project, template_id = $template, parameters = $parameters, cron = $cron, time_zone = $zone,
                enabled = $enabled, missed_policy = $missed, overlap_policy = $overlap, retry = $retry, options = $options, updated_at = $updated,
                last_slot = $last, next_slot = $next
            WHERE id = $id
            """;
        Bind(command, schedule);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0 ? true : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the name is taken in the project
        {
            return false;
        }
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM schedules WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> ClaimAsync(ScheduleRunRecord run, DateTimeOffset? nextSlot, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using (var claim = connection.CreateCommand())
        {
            claim.Transaction = transaction;
            claim.CommandText =
                """
                UPDATE schedules SET last_slot = $slot, next_slot = $next
                WHERE id = $id AND enabled = 1 AND (last_slot IS NULL OR last_slot < $slot)
                """;
            claim.Parameters.AddWithValue("$id", run.ScheduleId);
            claim.Parameters.AddWithValue("$slot", UnixMicros.From(run.Slot));
            claim.Parameters.AddWithValue("$next", nextSlot is { } next ? UnixMicros.From(next) : DBNull.Value);
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0)
                return false;
        }
        await InsertRunAsync(connection, transaction, run, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task AddRunAsync(ScheduleRunRecord run, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertRunAsync(connection, null, run, cancellationToken);
    }

    public async Task SetRunStatusAsync(string runId, string status, string? reason, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE schedule_runs SET status = $status, reason = $reason WHERE id = $id AND session_id IS NULL";
        command.Parameters.AddWithValue("$id", runId);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$reason", (object?)reason ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ScheduleRunRow?> FindRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunRowColumns} FROM schedule_runs r WHERE r.id = $id";
        command.Parameters.AddWithValue("$id", runId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    }

    public async Task<IReadOnlyList<ScheduleRunRecord>> OpenRunsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM schedule_runs r WHERE r.status IN ('pending', 'queued') ORDER BY r.created_at, r.rowid";
        var runs = new List<ScheduleRunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            runs.Add(ReadRun(reader));
        return runs;
    }

    public async Task<Page<ScheduleRunRow>> ListRunsAsync(string scheduleId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : long.MaxValue;
        command.CommandText = $"SELECT {RunRowColumns}, r.rowid FROM schedule_runs r WHERE r.schedule_id = $id AND r.rowid < $before ORDER BY r.rowid DESC LIMIT $limit";
        command.Parameters.AddWithValue("$id", scheduleId);
        command.Parameters.AddWithValue("$before", before);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var rows = new List<ScheduleRunRow>();
        long last = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == limit)
                return new Page<ScheduleRunRow>(rows, last.ToString(CultureInfo.InvariantCulture));
            rows.Add(ReadRow(reader));
            last = reader.GetInt64(reader.FieldCount - 1);
        }
        return new Page<ScheduleRunRow>(rows, null);
    }

    public async Task<ScheduleRunRow?> WorkingRunAsync(string scheduleId, string? exceptRunId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunRowColumns} FROM schedule_runs r WHERE r.schedule_id = $id AND r.id <> $except AND ({Working}) ORDER BY r.rowid DESC LIMIT 1";
        command.Parameters.AddWithValue("$id", scheduleId);
        command.Parameters.AddWithValue("$except", exceptRunId ?? "");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    }

    private static async Task InsertRunAsync(SqliteConnection connection, SqliteTransaction? transaction, ScheduleRunRecord run, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            """
            INSERT INTO schedule_runs(id, schedule_id, slot, trigger, status, session_id, reason, by_name, by_user_id, created_at)
            VALUES ($id, $schedule, $slot, $trigger, $status, $session, $reason, $by, $byUser, $created)
            """;
        command.Parameters.AddWithValue("$id", run.Id);
        command.Parameters.AddWithValue("$schedule", run.ScheduleId);
        command.Parameters.AddWithValue("$slot", UnixMicros.From(run.Slot));
        command.Parameters.AddWithValue("$trigger", run.Trigger);
        command.Parameters.AddWithValue("$status", run.Status);
        command.Parameters.AddWithValue("$session", (object?)run.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)run.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", run.ByName);
        command.Parameters.AddWithValue("$byUser", (object?)run.ByUserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", UnixMicros.From(run.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(SqliteCommand command, ScheduleRecord s)
    {
        command.Parameters.AddWithValue("$id", s.Id);
        command.Parameters.AddWithValue("$name", s.Name);
        command.Parameters.AddWithValue("$project", s.ProjectId);
        command.Parameters.AddWithValue("$template", s.TemplateId);
        command.Parameters.AddWithValue("$parameters", s.Parameters);
        command.Parameters.AddWithValue("$cron", s.Cron);
        command.Parameters.AddWithValue("$zone", s.TimeZone);
        command.Parameters.AddWithValue("$enabled", s.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$missed", s.MissedPolicy);
        command.Parameters.AddWithValue("$overlap", s.OverlapPolicy);
        command.Parameters.AddWithValue("$retry", (object?)s.Retry ?? DBNull.Value);
        command.Parameters.AddWithValue("$options", s.Options);
        command.Parameters.AddWithValue("$by", s.CreatedBy);
        command.Parameters.AddWithValue("$byUser", (object?)s.CreatedByUserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$byToken", (object?)s.CreatedByTokenId ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", UnixMicros.From(s.CreatedAt));
        command.Parameters.AddWithValue("$updated", UnixMicros.From(s.UpdatedAt));
        command.Parameters.AddWithValue("$last", s.LastSlot is { } last ? UnixMicros.From(last) : DBNull.Value);
        command.Parameters.AddWithValue("$next", s.NextSlot is { } next ? UnixMicros.From(next) : DBNull.Value);
    }

    private static ScheduleRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt64(7) != 0,
        r.GetString(8), r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.GetString(11), r.GetString(12),
        r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? null : r.GetString(14),
        UnixMicros.ToDateTimeOffset(r.GetInt64(15)), UnixMicros.ToDateTimeOffset(r.GetInt64(16)),
        UnixMicros.ToNullable(r.GetValue(17)), UnixMicros.ToNullable(r.GetValue(18)));

    private static ScheduleRunRecord ReadRun(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), UnixMicros.ToDateTimeOffset(r.GetInt64(2)), r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8),
        UnixMicros.ToDateTimeOffset(r.GetInt64(9)));

    private static ScheduleRunRow ReadRow(SqliteDataReader r) => new(
        ReadRun(r), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.GetInt32(12), r.GetInt64(13) / 1_000_000_000m);
}
