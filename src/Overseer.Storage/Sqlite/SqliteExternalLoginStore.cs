using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteExternalLoginStore(SqliteDatabase database) : IExternalLoginStore
{
    private const string Columns = "issuer, subject, user_id, created_at, last_used_at";

    public async Task<ExternalLoginRecord?> FindAsync(string issuer, string subject, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM external_logins WHERE issuer = $issuer AND subject = $subject";
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> AddAsync(ExternalLoginRecord login, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO external_logins({Columns}) VALUES ($issuer, $subject, $user, $created, NULL) ON CONFLICT DO NOTHING";
        BindLogin(command, login);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<ExternalUserCreation> AddWithUserAsync(UserRecord user, ExternalLoginRecord login, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        using (var link = connection.CreateCommand())
        {
            link.Transaction = transaction;
            link.CommandText = "SELECT EXISTS(SELECT 1 FROM external_logins WHERE issuer = $issuer AND subject = $subject)";
            link.Parameters.AddWithValue("$issuer", login.Issuer);
            link.Parameters.AddWithValue("$subject", login.Subject);
            if ((long)(await link.ExecuteScalarAsync(cancellationToken))! == 1)
                return ExternalUserCreation.AlreadyLinked;
        }
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO users(id, name, role, password_hash, created_at, disabled_at) VALUES ($id, $name, $role, NULL, $created, NULL) ON CONFLICT DO NOTHING";
            insert.Parameters.AddWithValue("$id", user.Id);
            insert.Parameters.AddWithValue("$name", user.Name);
            insert.Parameters.AddWithValue("$role", user.Role);
            insert.Parameters.AddWithValue("$created", UnixMicros.From(user.CreatedAt));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
                return ExternalUserCreation.NameTaken;
        }
        using (var add = connection.CreateCommand())
        {
            add.Transaction = transaction;
            add.CommandText = $"INSERT INTO external_logins({Columns}) VALUES ($issuer, $subject, $user, $created, NULL)";
            BindLogin(add, login with { UserId = user.Id });
            await add.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return ExternalUserCreation.Created;
    }

    public async Task<IReadOnlyList<ExternalLoginRecord>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM external_logins WHERE user_id = $user ORDER BY created_at";
        command.Parameters.AddWithValue("$user", userId);
        var logins = new List<ExternalLoginRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            logins.Add(Read(reader));
        return logins;
    }

    public async Task RecordUseAsync(string issuer, string subject, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE external_logins SET last_used_at = $at WHERE issuer = $issuer AND subject = $subject";
        command.Parameters.AddWithValue("$issuer", issuer);
        command.Parameters.AddWithValue("$subject", subject);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void BindLogin(SqliteCommand command, ExternalLoginRecord login)
    {
        command.Parameters.AddWithValue("$issuer", login.Issuer);
        command.Parameters.AddWithValue("$subject", login.Subject);
        command.Parameters.AddWithValue("$user", login.UserId);
        command.Parameters.AddWithValue("$created", UnixMicros.From(login.CreatedAt));
    }

    private static ExternalLoginRecord Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(3)),
        UnixMicros.ToNullable(reader.GetValue(4)));
}
