using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqlitePasskeyStore(SqliteDatabase database) : IPasskeyStore
{
    private const string Columns = "credential_id, user_id, public_key, sign_count, name, created_at, last_used_at";

    public async Task<bool> AddAsync(PasskeyRecord passkey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO passkeys({Columns}) VALUES ($id, $user, $key, $count, $name, $created, NULL) ON CONFLICT DO NOTHING";
        command.Parameters.AddWithValue("$id", passkey.CredentialId);
        command.Parameters.AddWithValue("$user", passkey.UserId);
        command.Parameters.AddWithValue("$key", passkey.PublicKey);
        command.Parameters.AddWithValue("$count", (long)passkey.SignCount);
        command.Parameters.AddWithValue("$name", passkey.Name);
        command.Parameters.AddWithValue("$created", UnixMicros.From(passkey.CreatedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<PasskeyRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM passkeys WHERE credential_id = $id";
        command.Parameters.AddWithValue("$id", credentialId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<PasskeyRecord>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM passkeys WHERE user_id = $user ORDER BY created_at, credential_id";
        command.Parameters.AddWithValue("$user", userId);
        var passkeys = new List<PasskeyRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            passkeys.Add(Read(reader));
        return passkeys;
    }

    public async Task RecordUseAsync(byte[] credentialId, uint signCount, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE passkeys SET sign_count = $count, last_used_at = $at WHERE credential_id = $id";
        command.Parameters.AddWithValue("$id", credentialId);
        command.Parameters.AddWithValue("$count", (long)signCount);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RenameAsync(string userId, byte[] credentialId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE passkeys SET name = $name WHERE credential_id = $id AND user_id = $user";
        command.Parameters.AddWithValue("$id", credentialId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RemoveAsync(string userId, byte[] credentialId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        // The owner is part of the key: one user can never remove another's passkey by its id.
        command.CommandText = "DELETE FROM passkeys WHERE credential_id = $id AND user_id = $user";
        command.Parameters.AddWithValue("$id", credentialId);
        command.Parameters.AddWithValue("$user", userId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static PasskeyRecord Read(SqliteDataReader reader) => new(
        (byte[])reader.GetValue(0),
        reader.GetString(1),
        (byte[])reader.GetValue(2),
        (uint)reader.GetInt64(3),
        reader.GetString(4),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(5)),
        UnixMicros.ToNullable(reader.GetValue(6)));
}
