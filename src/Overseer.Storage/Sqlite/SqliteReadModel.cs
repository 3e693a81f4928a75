using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteReadModel(SqliteDatabase database) : IReadModel
{
    private const string SessionColumns =
        """
        id, project_id, prompt, runtime, model, status, created_at, started_at, ended_at,
        input_tokens, output_tokens, cost_nano_usd, pending_approvals, pending_questions,
        pending_dependencies, pending_reviews, priority, reason, rate_limited_until, created_seq, agent_session_id, cache_read_tokens
        """;

    public async Task<ProjectDto?> GetProjectAsync(string id, CancellationToken cancellationToken = default)
    {
        var projects = await QueryProjectsAsync("WHERE id = $id", id, cancellationToken);
        return projects.Count == 0 ? null : projects[0];
    }

    public Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        QueryProjectsAsync("", null, cancellationToken);

    private async Task<IReadOnlyList<ProjectDto>> QueryProjectsAsync(string where, string? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, name, path, created_at FROM projects {where} ORDER BY created_at";
        if (id is not null)
            command.Parameters.AddWithValue("$id", id);
        var projects = new List<ProjectDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            projects.Add(new ProjectDto(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicros.ToDateTimeOffset(reader.GetInt64(3))));
        return projects;
    }

    public async Task<SessionDto?> GetSessionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SessionColumns} FROM sessions WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSession(reader) : null;
    }

    public async Task<Page<SessionDto>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        var limit = Math.Clamp(query.Limit, 1, 1000);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {SessionColumns} FROM sessions WHERE 1 = 1");
        if (query.Statuses is { Count: > 0 } statuses)
        {
            sql.Append(" AND status IN (");
            sql.AppendJoin(',', statuses.Select((_, i) => "$st" + i));
            sql.Append(')');
            var i = 0;
            foreach (var status in statuses)
                command.Parameters.AddWithValue("$st" + i++, status.ToWire());
        }
        if (query.ProjectId is not null)
        {
            sql.Append(" AND project_id = $project");
            command.Parameters.AddWithValue("$project", query.ProjectId);
        }
        if (TryParseCursor(query.Cursor, out var before))
        {
            sql.Append(" AND created_seq < $before");
            command.Parameters.AddWithValue("$before", before);
        }
        // Newest first; one extra row tells whether another page exists.
        sql.Append(" ORDER BY created_seq DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<SessionDto>();
        long lastSeq = 0;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                more = true;
                break;
            }
            items.Add(ReadSession(reader));
            lastSeq = reader.GetInt64(19);
        }
        return new Page<SessionDto>(items, more ? lastSeq.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<int> CountLiveSessionsAsync(string projectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE project_id = $project AND status NOT IN ('completed', 'failed', 'cancelled')";
        command.Parameters.AddWithValue("$project", projectId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<QuestionDto?> GetQuestionAsync(string id, CancellationToken cancellationToken = default)
    {
        var page = await QueryQuestionsAsync("id = $id", [("$id", id)], 1, cancellationToken);
        return page.Items.Count == 0 ? null : page.Items[0];
    }

    public Task<Page<QuestionDto>> ListQuestionsAsync(QuestionQuery query, CancellationToken cancellationToken = default)
    {
        var where = new List<string> { "1 = 1" };
        var parameters = new List<(string, object)>();
        if (query.Status is not null)
        {
            where.Add("status = $status");
            parameters.Add(("$status", query.Status));
        }
        if (query.SessionId is not null)
        {
            where.Add("session_id = $session");
            parameters.Add(("$session", query.SessionId));
        }
        if (TryParseCursor(query.Cursor, out var before))
        {
            where.Add("created_seq < $before");
            parameters.Add(("$before", before));
        }
        return QueryQuestionsAsync(string.Join(" AND ", where), parameters, Math.Clamp(query.Limit, 1, 1000), cancellationToken);
    }

    private async Task<Page<QuestionDto>> QueryQuestionsAsync(string where, IEnumerable<(string Name, object Value)> parameters, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, session_id, questions, status, created_at, answers, created_seq FROM questions WHERE {where} ORDER BY created_seq DESC LIMIT $limit";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<QuestionDto>();
        long lastSeq = 0;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                more = true;
                break;
            }
            items.Add(new QuestionDto(
                reader.GetString(0),
                reader.GetString(1),
                JsonSerializer.Deserialize(reader.GetString(2), OverseerJson.Default.IReadOnlyListQuestionItem)!,
                reader.GetString(3),
                UnixMicros.ToDateTimeOffset(reader.GetInt64(4)),
                reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), OverseerJson.Default.IReadOnlyDictionaryStringJsonElement)));
            lastSeq = reader.GetInt64(6);
        }
        return new Page<QuestionDto>(items, more ? lastSeq.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<ReviewDto?> GetReviewAsync(string id, CancellationToken cancellationToken = default)
    {
        var page = await QueryReviewsAsync("id = $id", [("$id", id)], 1, cancellationToken);
        return page.Items.Count == 0 ? null : page.Items[0];
    }

    public Task<Page<ReviewDto>> ListReviewsAsync(ReviewQuery query, CancellationToken cancellationToken = default)
    {
        var where = new List<string> { "1 = 1" };
        var parameters = new List<(string, object)>();
        if (query.Status is not null)
        {
            where.Add("status = $status");
            parameters.Add(("$status", query.Status));
        }
        if (query.SessionId is not null)
        {
            where.Add("session_id = $session");
            parameters.Add(("$session", query.SessionId));
        }
        if (TryParseCursor(query.Cursor, out var before))
        {
            where.Add("created_seq < $before");
            parameters.Add(("$before", before));
        }
        return QueryReviewsAsync(string.Join(" AND ", where), parameters, Math.Clamp(query.Limit, 1, 1000), cancellationToken);
    }

    private async Task<Page<ReviewDto>> QueryReviewsAsync(string where, IEnumerable<(string Name, object Value)> parameters, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, session_id, kind, plan, phase, status, created_at, decided_at, feedback, decided_by, created_seq FROM reviews WHERE {where} ORDER BY created_seq DESC LIMIT $limit";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<ReviewDto>();
        long lastSeq = 0;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
            {
                more = true;
                break;
            }
            items.Add(new ReviewDto(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt32(4),
                reader.GetString(5),
                UnixMicros.ToDateTimeOffset(reader.GetInt64(6)),
                UnixMicros.ToNullable(reader.GetValue(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
            lastSeq = reader.GetInt64(10);
        }
        return new Page<ReviewDto>(items, more ? lastSeq.ToString(CultureInfo.InvariantCulture) : null);
    }

    public async Task<UsageStats> GetUsageStatsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cost_nano_usd) FROM sessions GROUP BY status";
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        long input = 0, output = 0, cache = 0, nano = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            byStatus[reader.GetString(0)] = reader.GetInt32(1);
            input += reader.GetInt64(2);
            output += reader.GetInt64(3);
            cache += reader.GetInt64(4);
            nano += reader.GetInt64(5);
        }
        return new UsageStats(byStatus, input, output, cache, nano / 1_000_000_000m);
    }

    private static bool TryParseCursor(string? cursor, out long value) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static SessionDto ReadSession(SqliteDataReader reader) => new(
        Id: reader.GetString(0),
        ProjectId: reader.GetString(1),
        Prompt: reader.GetString(2),
        Runtime: reader.GetString(3),
        Model: reader.IsDBNull(4) ? null : reader.GetString(4),
        Status: SessionStatusNames.TryParse(reader.GetString(5), out var status) ? status : throw new EventStoreException($"Unknown session status '{reader.GetString(5)}' in the database."),
        CreatedAt: UnixMicros.ToDateTimeOffset(reader.GetInt64(6)),
        StartedAt: UnixMicros.ToNullable(reader.GetValue(7)),
        EndedAt: UnixMicros.ToNullable(reader.GetValue(8)),
        Usage: new UsageDto(reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11) / 1_000_000_000m, reader.GetInt64(21)),
        Pending: new PendingDto(reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15)),
        Priority: reader.GetInt32(16),
        Reason: reader.IsDBNull(17) ? null : reader.GetString(17),
        RateLimitedUntil: UnixMicros.ToNullable(reader.GetValue(18)),
        AgentSessionId: reader.IsDBNull(20) ? null : reader.GetString(20));
}
