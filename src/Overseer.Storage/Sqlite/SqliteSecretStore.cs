using System.Text.Json;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteSecretStore(SqliteDatabase database) : ISecretStore
{
    public async Task<IReadOnlyList<StoredSecret>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, envelope, projects, created_at, updated_at FROM secrets ORDER BY name";
        var secrets = new List<StoredSecret>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            secrets.Add(new StoredSecret(reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(2)),
                UnixMicros.ToDateTimeOffset(reader.GetInt64(3)), UnixMicros.ToDateTimeOffset(reader.GetInt64(4))));
        }
        return secrets;
    }

    public async Task UpsertAsync(StoredSecret secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO secrets(name, envelope, projects, created_at, updated_at) VALUES ($name, $envelope, $projects, $created, $updated)
            ON CONFLICT(name) DO UPDATE SET envelope = excluded.envelope, projects = excluded.projects, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$name", secret.Name);
        command.Parameters.AddWithValue("$envelope", secret.Envelope);
        command.Parameters.AddWithValue("$projects", secret.Projects is null ? DBNull.Value : JsonSerializer.Serialize(secret.Projects));
        command.Parameters.AddWithValue("$created", UnixMicros.From(secret.CreatedAt));
        command.Parameters.AddWithValue("$updated", UnixMicros.From(secret.UpdatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM secrets WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
