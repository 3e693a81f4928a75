namespace Overseer.Storage.Sqlite;

internal sealed class SqliteIdempotencyStore(SqliteDatabase database) : IIdempotencyStore
{
    public async Task<IdempotencyRecord?> FindAsync(string owner, string key, DateTimeOffset notBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT fingerprint, resource_id, response, created_at FROM idempotency_keys WHERE owner = $owner AND key = $key AND created_at >= $since";
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$since", UnixMicros.From(notBefore));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new IdempotencyRecord(owner, key, reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicros.ToDateTimeOffset(reader.GetInt64(3)));
    }

    public async Task AddAsync(IdempotencyRecord record, DateTimeOffset forgetBefore, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // An expired record of the same key is replaced: after the window the key is free again.
        command.CommandText = """
            DELETE FROM idempotency_keys WHERE created_at < $forget;
            INSERT OR REPLACE INTO idempotency_keys(owner, key, fingerprint, resource_id, response, created_at)
            VALUES ($owner, $key, $fingerprint, $resource, $response, $ts);
            """;
        command.Parameters.AddWithValue("$forget", UnixMicros.From(forgetBefore));
        command.Parameters.AddWithValue("$owner", record.Owner);
        command.Parameters.AddWithValue("$key", record.Key);
        command.Parameters.AddWithValue("$fingerprint", record.Fingerprint);
        command.Parameters.AddWithValue("$resource", record.ResourceId);
        command.Parameters.AddWithValue("$response", record.Response);
        command.Parameters.AddWithValue("$ts", UnixMicros.From(record.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
