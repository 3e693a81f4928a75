using Microsoft.Data.Sqlite;
using Overseer.Storage.Notifications;

namespace Overseer.Storage.Sqlite;

internal sealed class SqliteNotificationStore(SqliteDatabase database) : INotificationStore
{
    private const string ChannelColumns = "id, user_id, type, name, target, secret, preferences, enabled, created_at";
    private const string Columns = "id, outbox_seq, channel_id, user_id, session_id, project_id, kind, item_id, status, attempts, due_at, created_at, sent_at, delivery_key, last_error";

    public async Task AddChannelAsync(NotificationChannelRecord channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO notification_channels({ChannelColumns}) VALUES ($id, $user, $type, $name, $target, $secret, $prefs, $enabled, $created)";
        BindChannel(command, channel);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<NotificationChannelRecord?> FindChannelAsync(string id, CancellationToken cancellationToken = default) =>
        (await ChannelsAsync("WHERE id = $id", ("$id", id), cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<NotificationChannelRecord>> ListChannelsAsync(string? userId, CancellationToken cancellationToken = default) =>
        userId is null ? ChannelsAsync("", null, cancellationToken) : ChannelsAsync("WHERE user_id = $user", ("$user", userId), cancellationToken);

    public async Task<bool> UpdateChannelAsync(NotificationChannelRecord channel, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE notification_channels SET name = $name, target = $target, preferences = $prefs, enabled = $enabled WHERE id = $id";
        BindChannel(command, channel);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RemoveChannelAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM notification_channels WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<OutboxRecord>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, session_id, kind, item_id, created_at FROM notification_outbox ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<OutboxRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRecord(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetString(3), UnixMicros.ToDateTimeOffset(reader.GetInt64(4))));
        }
        return rows;
    }

    public async Task FanOutAsync(long outboxSeq, IReadOnlyList<NotificationRecord> notifications, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        foreach (var n in notifications)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            // One notification per channel and item, whatever happens: the unique key drops a repeat.
            insert.CommandText = $"""
                INSERT INTO notifications({Columns})
                VALUES ($id, $seq, $channel, $user, $session, $project, $kind, $item, $status, 0, $due, $created, NULL, NULL, NULL)
                ON CONFLICT DO NOTHING
                """;
            insert.Parameters.AddWithValue("$id", n.Id);
            insert.Parameters.AddWithValue("$seq", n.OutboxSeq);
            insert.Parameters.AddWithValue("$channel", n.ChannelId);
            insert.Parameters.AddWithValue("$user", n.UserId);
            insert.Parameters.AddWithValue("$session", (object?)n.SessionId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$project", (object?)n.ProjectId ?? DBNull.Value);
            insert.Parameters.AddWithValue("$kind", n.Kind);
            insert.Parameters.AddWithValue("$item", n.ItemId);
            insert.Parameters.AddWithValue("$status", n.Status);
            insert.Parameters.AddWithValue("$due", UnixMicros.From(n.DueAt));
            insert.Parameters.AddWithValue("$created", UnixMicros.From(n.CreatedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        using (var delete = connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM notification_outbox WHERE seq = $seq";
            delete.Parameters.AddWithValue("$seq", outboxSeq);
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<NotificationRecord>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        NotificationsAsync("WHERE status = 'pending' AND due_at <= $now ORDER BY due_at, id LIMIT $limit",
            [("$now", UnixMicros.From(now)), ("$limit", limit)], cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(due_at) FROM notifications WHERE status = 'pending'";
        return UnixMicros.ToNullable((await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task<DateTimeOffset?> LastSentAsync(string channelId, string? sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MAX(sent_at) FROM notifications WHERE channel_id = $channel AND session_id IS $session AND status = 'sent'";
        command.Parameters.AddWithValue("$channel", channelId);
        command.Parameters.AddWithValue("$session", (object?)sessionId ?? DBNull.Value);
        return UnixMicros.ToNullable((await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task DeferAsync(IReadOnlyList<string> ids, DateTimeOffset dueAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        foreach (var id in ids)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE notifications SET due_at = $due WHERE id = $id AND status = 'pending'";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$due", UnixMicros.From(dueAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task RecordAttemptAsync(IReadOnlyList<string> ids, DeliveryAttempt attempt, string status, DateTimeOffset? nextDue, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        foreach (var id in ids)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO notification_attempts(notification_id, attempt, delivery_key, at, outcome, detail, duration_ms)
                SELECT id, attempts + 1, $key, $at, $outcome, $detail, $ms FROM notifications WHERE id = $id;
                UPDATE notifications SET attempts = attempts + 1, status = $status, delivery_key = $key, last_error = $error,
                    sent_at = CASE WHEN $status = 'sent' THEN $at ELSE sent_at END, due_at = COALESCE($due, due_at)
                WHERE id = $id;
                """;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$key", attempt.DeliveryKey);
            command.Parameters.AddWithValue("$at", UnixMicros.From(attempt.At));
            command.Parameters.AddWithValue("$outcome", attempt.Outcome);
            command.Parameters.AddWithValue("$detail", (object?)attempt.Detail ?? DBNull.Value);
            command.Parameters.AddWithValue("$ms", attempt.DurationMs);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$error", attempt.Outcome == "failed" ? attempt.Detail ?? "failed" : DBNull.Value);
            command.Parameters.AddWithValue("$due", nextDue is { } due ? UnixMicros.From(due) : DBNull.Value);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<NotificationRecord>> ListAsync(string? userId, string? status, int limit, CancellationToken cancellationToken = default) =>
        NotificationsAsync("WHERE ($user IS NULL OR user_id = $user) AND ($status IS NULL OR status = $status) ORDER BY created_at DESC, id DESC LIMIT $limit",
            [("$user", userId), ("$status", status), ("$limit", limit)], cancellationToken);

    public async Task<NotificationRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await NotificationsAsync("WHERE id = $id", [("$id", id)], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string notificationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT notification_id, attempt, delivery_key, at, outcome, detail, duration_ms FROM notification_attempts WHERE notification_id = $id ORDER BY attempt";
        command.Parameters.AddWithValue("$id", notificationId);
        var rows = new List<AttemptRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AttemptRecord(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), UnixMicros.ToDateTimeOffset(reader.GetInt64(3)),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6)));
        }
        return rows;
    }

    public async Task<bool> RedeliverAsync(string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE notifications SET status = 'pending', due_at = $now WHERE id = $id AND status = 'dead'";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", UnixMicros.From(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> UseLinkAsync(string nonce, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO action_link_uses(nonce, used_at, used_by) VALUES ($nonce, $at, $by) ON CONFLICT DO NOTHING";
        command.Parameters.AddWithValue("$nonce", nonce);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        command.Parameters.AddWithValue("$by", by);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> LinkUsedAsync(string nonce, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS(SELECT 1 FROM action_link_uses WHERE nonce = $nonce)";
        command.Parameters.AddWithValue("$nonce", nonce);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    public async Task ReleaseLinkAsync(string nonce, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM action_link_uses WHERE nonce = $nonce";
        command.Parameters.AddWithValue("$nonce", nonce);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<NotificationChannelRecord>> ChannelsAsync(string where, (string Name, object Value)? parameter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ChannelColumns} FROM notification_channels {where} ORDER BY created_at, id";
        if (parameter is { } p)
            command.Parameters.AddWithValue(p.Name, p.Value);
        var rows = new List<NotificationChannelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new NotificationChannelRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), reader.GetInt64(7) != 0, UnixMicros.ToDateTimeOffset(reader.GetInt64(8))));
        }
        return rows;
    }

    private async Task<IReadOnlyList<NotificationRecord>> NotificationsAsync(string where, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM notifications {where}";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        var rows = new List<NotificationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new NotificationRecord(
                reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetInt32(9),
                UnixMicros.ToDateTimeOffset(reader.GetInt64(10)), UnixMicros.ToDateTimeOffset(reader.GetInt64(11)),
                UnixMicros.ToNullable(reader.GetValue(12)), reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14)));
        }
        return rows;
    }

    private static void BindChannel(SqliteCommand command, NotificationChannelRecord c)
    {
        command.Parameters.AddWithValue("$id", c.Id);
        command.Parameters.AddWithValue("$user", c.UserId);
        command.Parameters.AddWithValue("$type", c.Type);
        command.Parameters.AddWithValue("$name", c.Name);
        command.Parameters.AddWithValue("$target", c.Target);
        command.Parameters.AddWithValue("$secret", (object?)c.Secret ?? DBNull.Value);
        command.Parameters.AddWithValue("$prefs", c.Preferences);
        command.Parameters.AddWithValue("$enabled", c.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$created", UnixMicros.From(c.CreatedAt));
    }
}
