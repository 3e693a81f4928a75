namespace Overseer.Storage.Sqlite;

public sealed class SqliteApiTokenStore(SqliteDatabase database) : IApiTokenStore
{
    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS(SELECT 1 FROM api_tokens)";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task AddAsync(ApiTokenRecord token, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO api_tokens(id, name, role, hash, created_at) VALUES ($id, $name, $role, $hash, $ts)";
        command.Parameters.AddWithValue("$id", token.Id);
        command.Parameters.AddWithValue("$name", token.Name);
        command.Parameters.AddWithValue("$role", token.Role);
        command.Parameters.AddWithValue("$hash", token.Hash);
        command.Parameters.AddWithValue("$ts", UnixMicros.From(token.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, role, hash, created_at FROM api_tokens WHERE hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new ApiTokenRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), UnixMicros.ToDateTimeOffset(reader.GetInt64(4)));
    }
}
