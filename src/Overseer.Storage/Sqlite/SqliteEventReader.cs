using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

/// <summary>Reads pages of the log on a pooled connection of its own.</summary>
internal static class SqliteEventReader
{
    public const int MaxPage = 10_000;

    public static async Task<IReadOnlyList<EventEnvelope>> ReadAsync(
        SqliteDatabase database, long afterSeq, int limit, IReadOnlySet<string>? sessions, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT seq, session_id, session_seq, type, ts, actor, data FROM events WHERE ");
        if (sessions is { Count: 1 })
        {
            // The (session_id, session_seq) index serves a single session's history.
            sql.Append("session_id = $s0 AND seq > $after ORDER BY session_seq");
            command.Parameters.AddWithValue("$s0", sessions.First());
        }
        else if (sessions is not null)
        {
            sql.Append("seq > $after AND session_id IN (");
            var i = 0;
            foreach (var session in sessions)
            {
                if (i > 0)
                    sql.Append(',');
                sql.Append("$s").Append(i);
                command.Parameters.AddWithValue("$s" + i, session);
                i++;
            }
            sql.Append(") ORDER BY seq");
        }
        else
        {
            sql.Append("seq > $after ORDER BY seq");
        }
        sql.Append(" LIMIT $limit");
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);

        return await MaterialiseAsync(command, limit, cancellationToken);
    }

    public static async Task<IReadOnlyList<EventEnvelope>> ReadSessionBeforeAsync(
        SqliteDatabase database, string sessionId, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxPage);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // Walks the (session_id, session_seq) index backwards from the end: the newest page of a
        // long history costs the same as the oldest.
        command.CommandText = """
            SELECT * FROM (
                SELECT seq, session_id, session_seq, type, ts, actor, data FROM events
                WHERE session_id = $s AND seq < $before ORDER BY session_seq DESC LIMIT $limit)
            ORDER BY session_seq
            """;
        command.Parameters.AddWithValue("$s", sessionId);
        command.Parameters.AddWithValue("$before", beforeSeq);
        command.Parameters.AddWithValue("$limit", limit);
        return await MaterialiseAsync(command, limit, cancellationToken);
    }

    private static async Task<IReadOnlyList<EventEnvelope>> MaterialiseAsync(SqliteCommand command, int limit, CancellationToken cancellationToken)
    {
        var events = new List<EventEnvelope>(Math.Min(limit, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new EventEnvelope(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                UnixMicros.ToDateTimeOffset(reader.GetInt64(4)),
                reader.GetString(5),
                JsonElement.Parse(reader.GetString(6))));
        }
        return events;
    }
}
