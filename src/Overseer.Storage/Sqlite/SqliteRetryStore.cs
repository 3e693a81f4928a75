using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteRetryStore(SqliteDatabase database) : IRetryStore
{
    private const string Columns = "session_id, first_attempt_id, attempt, due_at, status, retry_session_id, reason";

    public async Task<IReadOnlyList<RetryCandidate>> UnplannedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT s.id, COALESCE(s.first_attempt_id, s.id), COALESCE(s.attempt, 1), s.retry_policy FROM sessions s
            WHERE s.status = 'failed' AND s.retry_policy IS NOT NULL AND COALESCE(s.attempt, 1) < json_extract(s.retry_policy, '$.maxAttempts')
              AND NOT EXISTS (SELECT 1 FROM session_retries r WHERE r.session_id = s.id)
            ORDER BY s.created_seq
            """;
        var candidates = new List<RetryCandidate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            candidates.Add(new RetryCandidate(reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                JsonSerializer.Deserialize(reader.GetString(3), OverseerJson.Default.RetryPolicyDto)!));
        }
        return candidates;
    }

    public async Task<IReadOnlyList<RetryRow>> ScheduledAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM session_retries WHERE status = 'scheduled' ORDER BY due_at";
        var rows = new List<RetryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(Read(reader));
        return rows;
    }

    public async Task<RetryRow?> FindAsync(string failedSessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM session_retries WHERE session_id = $id";
        command.Parameters.AddWithValue("$id", failedSessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static RetryRow Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetInt32(2), UnixMicros.ToDateTimeOffset(r.GetInt64(3)), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6));
}
