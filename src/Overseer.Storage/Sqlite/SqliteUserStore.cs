using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteUserStore(SqliteDatabase database) : IUserStore
{
    private const string Columns = "id, name, role, password_hash, created_at, disabled_at";

    public async Task<bool> AnyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS(SELECT 1 FROM users)";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task<bool> AddAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO users({Columns}) VALUES ($id, $name, $role, $password, $created, $disabled) ON CONFLICT DO NOTHING";
        Bind(command, user);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public Task<UserRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        FindOneAsync("id", id, cancellationToken);

    public Task<UserRecord?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        FindOneAsync("name", name, cancellationToken);

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users ORDER BY name";
        var users = new List<UserRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            users.Add(Read(reader));
        return users;
    }

    public async Task<bool> UpdateAsync(UserRecord user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE users SET role = $role, password_hash = $password, disabled_at = $disabled WHERE id = $id";
        Bind(command, user);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RemoveAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Memberships go with the user (ON DELETE CASCADE); tokens stay, revoked, so the record of
        // what they did keeps a name to point at.
        command.CommandText =
            """
            UPDATE api_tokens SET revoked_at = $at WHERE user_id = $id AND revoked_at IS NULL;
            DELETE FROM users WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
        using var changes = connection.CreateCommand();
        changes.Transaction = transaction;
        changes.CommandText = "SELECT changes()";
        var removed = (long)(await changes.ExecuteScalarAsync(cancellationToken))! > 0;
        await transaction.CommitAsync(cancellationToken);
        return removed;
    }

    public async Task SetMembershipAsync(string projectId, string userId, string? role, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = role is null
            ? "DELETE FROM project_members WHERE project_id = $project AND user_id = $user"
            : "INSERT INTO project_members(project_id, user_id, role) VALUES ($project, $user, $role) ON CONFLICT DO UPDATE SET role = excluded.role";
        command.Parameters.AddWithValue("$project", projectId);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$role", (object?)role ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ProjectMembership>> MembershipsAsync(string? userId = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT project_id, user_id, role FROM project_members
            WHERE ($user IS NULL OR user_id = $user) AND ($project IS NULL OR project_id = $project)
            ORDER BY project_id, user_id
            """;
        command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
        command.Parameters.AddWithValue("$project", (object?)projectId ?? DBNull.Value);
        var memberships = new List<ProjectMembership>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            memberships.Add(new ProjectMembership(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return memberships;
    }

    private async Task<UserRecord?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static void Bind(SqliteCommand command, UserRecord user)
    {
        command.Parameters.AddWithValue("$id", user.Id);
        command.Parameters.AddWithValue("$name", user.Name);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$password", (object?)user.PasswordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", UnixMicros.From(user.CreatedAt));
        command.Parameters.AddWithValue("$disabled", user.DisabledAt is { } disabled ? UnixMicros.From(disabled) : DBNull.Value);
    }

    private static UserRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(4)),
        UnixMicros.ToNullable(reader.GetValue(5)));
}
