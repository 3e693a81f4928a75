using System.Globalization;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Api;

namespace Overseer.Storage.Sqlite;

internal sealed class SqliteAuditLog(SqliteDatabase database) : IAuditLog
{
    public async Task<Page<AuditEntryDto>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(query.Limit, 1, 1000);
        var conditions = new List<string> { "1 = 1" };
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            command.Parameters.AddWithValue(name, value);
        }
        if (query.User is { } user)
            Where("(by_user_id = $user OR by_name = $user COLLATE NOCASE)", "$user", user);
        if (query.ProjectId is { } project)
            Where("project_id = $project", "$project", project);
        if (query.SessionId is { } session)
            Where("session_id = $session", "$session", session);
        if (query.Action is { } action)
            Where("(action = $action OR substr(action, 1, length($action) + 1) = $action || '.')", "$action", action);
        if (query.Since is { } since)
            Where("ts >= $since", "$since", UnixMicros.From(since));
        if (query.Until is { } until)
            Where("ts < $until", "$until", UnixMicros.From(until));
        if (long.TryParse(query.Cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            Where("id < $before", "$before", before);
        if (query.VisibleProjects is { } visible)
        {
            // Rows of the projects the viewer may see, and their own (a token they made, say).
            var names = visible.Select((id, i) =>
            {
                var name = "$v" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(name, id);
                return name;
            }).ToList();
            conditions.Add(names.Count == 0
                ? "by_user_id = $viewer"
                : $"(project_id IN ({string.Join(", ", names)}) OR by_user_id = $viewer)");
            command.Parameters.AddWithValue("$viewer", (object?)query.ViewerUserId ?? DBNull.Value);
        }
        command.CommandText =
            $"""
            SELECT id, ts, action, by_name, by_user_id, token_id, project_id, session_id, target, detail, seq
            FROM audit WHERE {string.Join(" AND ", conditions)} ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<AuditEntryDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
                return new Page<AuditEntryDto>(items, items[^1].Id.ToString(CultureInfo.InvariantCulture));
            items.Add(Read(reader));
        }
        return new Page<AuditEntryDto>(items, null);
    }

    public async Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO audit(seq, ts, action, by_name, by_user_id, token_id, target, detail)
            VALUES (NULL, $ts, $action, $by, $user, $token, $target, $detail)
            """;
        command.Parameters.AddWithValue("$ts", UnixMicros.From(record.At));
        command.Parameters.AddWithValue("$action", record.Action);
        command.Parameters.AddWithValue("$by", record.By);
        command.Parameters.AddWithValue("$user", (object?)record.ByUserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$token", (object?)record.TokenId ?? DBNull.Value);
        command.Parameters.AddWithValue("$target", (object?)record.Target ?? DBNull.Value);
        command.Parameters.AddWithValue("$detail", (object?)record.Detail ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static AuditEntryDto Read(SqliteDataReader r) => new(
        r.GetInt64(0), UnixMicros.ToDateTimeOffset(r.GetInt64(1)), r.GetString(2), r.GetString(3),
        Text(r, 4), Text(r, 5), Text(r, 6), Text(r, 7), Text(r, 8), Text(r, 9), r.IsDBNull(10) ? null : r.GetInt64(10));

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
