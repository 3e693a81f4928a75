using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteApiTokenStore(SqliteDatabase database) : IApiTokenStore
{
    private const string Columns = "id, user_id, name, role, hash, created_at, expires_at, revoked_at, last_used_at";

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
        command.CommandText = $"INSERT INTO api_tokens({Columns}) VALUES ($id, $user, $name, $role, $hash, $created, $expires, NULL, NULL)";
        command.Parameters.AddWithValue("$id", token.Id);
        command.Parameters.AddWithValue("$user", token.UserId);
        command.Parameters.AddWithValue("$name", token.Name);
        command.Parameters.AddWithValue("$role", token.Role);
        command.Parameters.AddWithValue("$hash", token.Hash);
        command.Parameters.AddWithValue("$created", UnixMicros.From(token.CreatedAt));
        command.Parameters.AddWithValue("$expires", token.ExpiresAt is { } expires ? UnixMicros.From(expires) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<ApiTokenRecord?> FindByHashAsync(string hash, CancellationToken cancellationToken = default) =>
        FindOneAsync("hash", hash, cancellationToken);

    public Task<ApiTokenRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        FindOneAsync("id", id, cancellationToken);

    public async Task<IReadOnlyList<ApiTokenRecord>> ListAsync(string? userId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_tokens WHERE $user IS NULL OR user_id = $user ORDER BY created_at DESC, id";
        command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
        var tokens = new List<ApiTokenRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            tokens.Add(Read(reader));
        return tokens;
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_tokens SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE api_tokens SET last_used_at = $at WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ApiTokenRecord?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM api_tokens WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApiTokenRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.IsDBNull(1) ? "" : reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(5)),
        UnixMicros.ToNullable(reader.GetValue(6)),
        UnixMicros.ToNullable(reader.GetValue(7)),
        UnixMicros.ToNullable(reader.GetValue(8)));
}
