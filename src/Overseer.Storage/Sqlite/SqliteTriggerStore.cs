using Microsoft.Data.Sqlite;
using Overseer.Storage.Triggers;

namespace Overseer.Storage.Sqlite;

internal sealed class SqliteTriggerStore(SqliteDatabase database) : ITriggerStore
{
    /// <summary>Ignored deliveries kept per trigger (enough to see why a hook did nothing; a chatty repository cannot fill the disk).</summary>
    private const int KeptIgnored = 200;

    private const string TriggerColumns = "id, name, provider, project_id, owner_id, owner_name, secret_name, rules, postback, enabled, created_at, updated_at";

    private const string DeliveryColumns =
        "id, trigger_id, delivery_key, body_hash, received_at, event, outcome, detail, rule_index, session_id, source_url, target, " +
        "postback_status, postback_attempts, postback_due_at, postback_error, postback_at, postback_url";

    public async Task AddAsync(TriggerRecord trigger, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO triggers({TriggerColumns}) VALUES ($id, $name, $provider, $project, $owner, $ownerName, $secret, $rules, $postback, $enabled, $created, $updated)";
        Bind(command, trigger);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<TriggerRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        (await TriggersAsync("WHERE id = $id", id, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<TriggerRecord>> ListAsync(CancellationToken cancellationToken = default) => TriggersAsync("", null, cancellationToken);

    public async Task<bool> UpdateAsync(TriggerRecord trigger, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE triggers SET name = $name, rules = $rules, postback = $postback, enabled = $enabled, secret_name = $secret, updated_at = $updated WHERE id = $id";
        Bind(command, trigger);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM triggers WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> ClaimDeliveryAsync(DeliveryRecord d, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        // Either unique key (the provider's delivery id, the body's hash) refuses a second claim.
        insert.CommandText = $"""
            INSERT INTO trigger_deliveries({DeliveryColumns})
            VALUES ($id, $trigger, $key, $hash, $received, $event, $outcome, $detail, $rule, $session, $source, $target, $status, 0, NULL, NULL, NULL, NULL)
            ON CONFLICT DO NOTHING
            """;
        insert.Parameters.AddWithValue("$id", d.Id);
        insert.Parameters.AddWithValue("$trigger", d.TriggerId);
        insert.Parameters.AddWithValue("$key", d.DeliveryKey);
        insert.Parameters.AddWithValue("$hash", d.BodyHash);
        insert.Parameters.AddWithValue("$received", UnixMicros.From(d.ReceivedAt));
        insert.Parameters.AddWithValue("$event", d.Event);
        insert.Parameters.AddWithValue("$outcome", d.Outcome);
        insert.Parameters.AddWithValue("$detail", (object?)d.Detail ?? DBNull.Value);
        insert.Parameters.AddWithValue("$rule", (object?)d.RuleIndex ?? DBNull.Value);
        insert.Parameters.AddWithValue("$session", (object?)d.SessionId ?? DBNull.Value);
        insert.Parameters.AddWithValue("$source", (object?)d.SourceUrl ?? DBNull.Value);
        insert.Parameters.AddWithValue("$target", (object?)d.Target ?? DBNull.Value);
        insert.Parameters.AddWithValue("$status", d.PostbackStatus);
        var claimed = await insert.ExecuteNonQueryAsync(cancellationToken) > 0;
        if (claimed && d.Outcome == DeliveryOutcomes.Ignored)
        {
            using var prune = connection.CreateCommand();
            prune.Transaction = transaction;
            prune.CommandText = """
                DELETE FROM trigger_deliveries WHERE trigger_id = $trigger AND outcome = 'ignored' AND id NOT IN
                    (SELECT id FROM trigger_deliveries WHERE trigger_id = $trigger AND outcome = 'ignored' ORDER BY received_at DESC, id DESC LIMIT $keep)
                """;
            prune.Parameters.AddWithValue("$trigger", d.TriggerId);
            prune.Parameters.AddWithValue("$keep", KeptIgnored);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task FinishDeliveryAsync(string id, string outcome, string? detail, string? sessionId, string postbackStatus, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE trigger_deliveries SET outcome = $outcome, detail = $detail, session_id = $session, postback_status = $status WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$session", (object?)sessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", postbackStatus);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryRecord>> ListDeliveriesAsync(string triggerId, int limit, CancellationToken cancellationToken = default) =>
        DeliveriesAsync("WHERE trigger_id = $trigger ORDER BY received_at DESC, id DESC LIMIT $limit", [("$trigger", triggerId), ("$limit", limit)], cancellationToken);

    public async Task<DeliveryRecord?> FindDeliveryAsync(string id, CancellationToken cancellationToken = default) =>
        (await DeliveriesAsync("WHERE id = $id", [("$id", id)], cancellationToken)).SingleOrDefault();

    public async Task<int> PromoteSettledAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE trigger_deliveries SET postback_status = 'pending', postback_due_at = $now
            WHERE postback_status = 'waiting'
              AND session_id IN (SELECT id FROM sessions WHERE status IN ('idle', 'completed', 'failed', 'cancelled'))
            """;
        command.Parameters.AddWithValue("$now", UnixMicros.From(now));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<DeliveryRecord>> DuePostbacksAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        DeliveriesAsync("WHERE postback_status = 'pending' AND postback_due_at <= $now ORDER BY postback_due_at, id LIMIT $limit",
            [("$now", UnixMicros.From(now)), ("$limit", limit)], cancellationToken);

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(postback_due_at) FROM trigger_deliveries WHERE postback_status = 'pending'";
        return UnixMicros.ToNullable((await command.ExecuteScalarAsync(cancellationToken))!);
    }

    public async Task RecordPostbackAsync(string id, string status, DateTimeOffset at, DateTimeOffset? nextDue, string? error, string? url, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE trigger_deliveries SET postback_status = $status, postback_attempts = postback_attempts + 1, postback_at = $at,
                postback_due_at = $due, postback_error = $error, postback_url = COALESCE($url, postback_url)
            WHERE id = $id
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        command.Parameters.AddWithValue("$due", nextDue is { } due ? UnixMicros.From(due) : DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
        command.Parameters.AddWithValue("$url", (object?)url ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> AbandonStartingAsync(string detail, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE trigger_deliveries SET outcome = 'failed', detail = $detail WHERE outcome = 'starting'";
        command.Parameters.AddWithValue("$detail", detail);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<TriggerRecord>> TriggersAsync(string where, string? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {TriggerColumns} FROM triggers {where} ORDER BY created_at, id";
        if (id is not null)
            command.Parameters.AddWithValue("$id", id);
        var rows = new List<TriggerRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new TriggerRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8), reader.GetInt64(9) != 0,
                UnixMicros.ToDateTimeOffset(reader.GetInt64(10)), UnixMicros.ToDateTimeOffset(reader.GetInt64(11))));
        }
        return rows;
    }

    private async Task<IReadOnlyList<DeliveryRecord>> DeliveriesAsync(string where, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {DeliveryColumns} FROM trigger_deliveries {where}";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        var rows = new List<DeliveryRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DeliveryRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), UnixMicros.ToDateTimeOffset(reader.GetInt64(4)),
                reader.GetString(5), reader.GetString(6), Text(reader, 7), reader.IsDBNull(8) ? null : reader.GetInt32(8), Text(reader, 9), Text(reader, 10),
                Text(reader, 11), reader.GetString(12), reader.GetInt32(13), UnixMicros.ToNullable(reader.GetValue(14)), Text(reader, 15),
                UnixMicros.ToNullable(reader.GetValue(16)), Text(reader, 17)));
        }
        return rows;
    }

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static void Bind(SqliteCommand command, TriggerRecord t)
    {
        command.Parameters.AddWithValue("$id", t.Id);
        command.Parameters.AddWithValue("$name", t.Name);
        command.Parameters.AddWithValue("$provider", t.Provider);
        command.Parameters.AddWithValue("$project", t.ProjectId);
        command.Parameters.AddWithValue("$owner", t.OwnerId);
        command.Parameters.AddWithValue("$ownerName", t.OwnerName);
        command.Parameters.AddWithValue("$secret", t.SecretName);
        command.Parameters.AddWithValue("$rules", t.Rules);
        command.Parameters.AddWithValue("$postback", t.Postback);
        command.Parameters.AddWithValue("$enabled", t.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$created", UnixMicros.From(t.CreatedAt));
        command.Parameters.AddWithValue("$updated", UnixMicros.From(t.UpdatedAt));
    }
}
