using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteTemplateStore(SqliteDatabase database) : ITemplateStore
{
    private const string Columns = "id, name, description, category, prompt, parameters_schema, defaults, created_by, created_at, updated_at";

    public async Task<IReadOnlyList<TemplateRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM templates ORDER BY name";
        var templates = new List<TemplateRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            templates.Add(Read(reader));
        return templates;
    }

    public async Task<TemplateRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM templates WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<bool> AddAsync(TemplateRecord template, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO templates({Columns}) VALUES ($id, $name, $description, $category, $prompt, $schema, $defaults, $by, $created, $updated) ON CONFLICT DO NOTHING";
        Bind(command, template);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool?> UpdateAsync(TemplateRecord template, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            UPDATE templates SET name = $name, description = $description, category = $category, prompt = $prompt,
                parameters_schema = $schema, defaults = $defaults, updated_at = $updated
            WHERE id = $id
            """;
        Bind(command, template);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0 ? true : null;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the name is taken
        {
            return false;
        }
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM templates WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task RecordUseAsync(string templateId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO template_usage(template_id, count, last_used_at) VALUES ($id, 1, $at)
            ON CONFLICT(template_id) DO UPDATE SET count = count + 1, last_used_at = excluded.last_used_at
            """;
        command.Parameters.AddWithValue("$id", templateId);
        command.Parameters.AddWithValue("$at", UnixMicros.From(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, TemplateUsage>> UsageAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT template_id, count, last_used_at FROM template_usage";
        var usage = new Dictionary<string, TemplateUsage>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            usage[reader.GetString(0)] = new TemplateUsage(reader.GetInt64(1), UnixMicros.ToDateTimeOffset(reader.GetInt64(2)));
        return usage;
    }

    private static void Bind(SqliteCommand command, TemplateRecord t)
    {
        command.Parameters.AddWithValue("$id", t.Id);
        command.Parameters.AddWithValue("$name", t.Name);
        command.Parameters.AddWithValue("$description", t.Description);
        command.Parameters.AddWithValue("$category", t.Category);
        command.Parameters.AddWithValue("$prompt", t.Prompt);
        command.Parameters.AddWithValue("$schema", (object?)t.ParametersSchema ?? DBNull.Value);
        command.Parameters.AddWithValue("$defaults", t.Defaults);
        command.Parameters.AddWithValue("$by", t.CreatedBy);
        command.Parameters.AddWithValue("$created", UnixMicros.From(t.CreatedAt));
        command.Parameters.AddWithValue("$updated", UnixMicros.From(t.UpdatedAt));
    }

    private static TemplateRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7),
        UnixMicros.ToDateTimeOffset(r.GetInt64(8)), UnixMicros.ToDateTimeOffset(r.GetInt64(9)));
}
