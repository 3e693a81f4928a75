using System.Globalization;
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
        input_tokens, output_tokens, cost_nano_usd,
        (SELECT COUNT(*) FROM pending_items p WHERE p.session_id = sessions.id AND p.kind = 'approval'),
        (SELECT COUNT(*) FROM pending_items p WHERE p.session_id = sessions.id AND p.kind = 'question'),
        (SELECT COUNT(*) FROM pending_items p WHERE p.session_id = sessions.id AND p.kind = 'dependency'),
        (SELECT COUNT(*) FROM pending_items p WHERE p.session_id = sessions.id AND p.kind = 'review'),
        priority, reason, rate_limited_until,
        agent_session_id, cache_read_tokens, worktree_path, worktree_branch, worktree_base, worktree_state, sandbox, hibernated, interrupted_by,
        template_id, started_by, started_by_name,
        schedule_id, retry_policy, attempt, retry_of, first_attempt_id,
        (SELECT r.status FROM session_retries r WHERE r.session_id = sessions.id),
        (SELECT r.due_at FROM session_retries r WHERE r.session_id = sessions.id),
        (SELECT r.retry_session_id FROM session_retries r WHERE r.session_id = sessions.id),
        title, description, type, phase, phase_index, phase_total, percent, step_text, step, steps, progress_at, trigger_id, source_url, created_seq
        """;

    // Every query of sessions leaves deleted ones out: they are in no list, search or count.
    private const string NotDeleted = "status <> 'deleted'";

    private const string QuestionColumns = "id, session_id, questions, status, created_at, answers, created_seq";

    private const string ApprovalColumns =
        "id, session_id, tool, input, tier, reason, rule, confirm_phrase, status, created_at, expires_at, decided_by, decided_at, decision, how, decision_reason, created_seq";

    private const string ReviewColumns = "id, session_id, kind, plan, phase, status, created_at, decided_at, feedback, decided_by, files, diff, created_seq";

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
        command.CommandText = $"SELECT id, name, path, created_at, operators_may_approve_red FROM projects {where} ORDER BY created_at";
        if (id is not null)
            command.Parameters.AddWithValue("$id", id);
        var projects = new List<ProjectDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            projects.Add(new ProjectDto(reader.GetString(0), reader.GetString(1), reader.GetString(2), UnixMicros.ToDateTimeOffset(reader.GetInt64(3)), reader.GetInt64(4) != 0));
        return projects;
    }

    public async Task<SessionDto?> GetSessionAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("sessions", SessionColumns, new Filter().Equal("id", id).Where(NotDeleted), null, 1, ReadSession, cancellationToken)).Items.FirstOrDefault();

    public async Task<SessionDto?> GetDeletedSessionAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("sessions", SessionColumns, new Filter().Equal("id", id).Equal("status", "deleted"), null, 1, ReadSession, cancellationToken)).Items.FirstOrDefault();

    public Task<Page<SessionDto>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        var filter = new Filter().Where(NotDeleted).In("status", query.Statuses?.Select(s => s.ToWire())).Equal("project_id", query.ProjectId)
            .Within("project_id", query.Projects).Equal("type", query.Type);
        if (query.PromptPreview is not { } preview)
            return PageAsync("sessions", SessionColumns, filter, query.Cursor, query.Limit, ReadSession, cancellationToken);
        // substr and length count characters (code points), so a preview never splits one. A
        // description can be long too: lists leave it out (GET /api/sessions/{id} has it).
        preview = Math.Max(0, preview);
        var columns = SessionColumns
            .Replace("id, project_id, prompt,", $"id, project_id, substr(prompt, 1, {preview.ToString(CultureInfo.InvariantCulture)}),", StringComparison.Ordinal)
            .Replace("title, description, type,", "title, NULL, type,", StringComparison.Ordinal)
            .Replace(", created_seq", ", length(prompt), created_seq", StringComparison.Ordinal);
        return PageAsync("sessions", columns, filter, query.Cursor, query.Limit, reader =>
        {
            var length = reader.GetInt32(reader.FieldCount - 2);
            return ReadSession(reader) with { PromptTruncated = length > preview, PromptLength = length };
        }, cancellationToken);
    }

    public async Task<int> CountLiveSessionsAsync(string projectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sessions WHERE project_id = $project AND status NOT IN ('completed', 'failed', 'cancelled', 'deleted')";
        command.Parameters.AddWithValue("$project", projectId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<PendingItemRow>> ListPendingAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, kind, detail, due_at FROM pending_items WHERE session_id = $session ORDER BY created_seq";
        command.Parameters.AddWithValue("$session", sessionId);
        var items = new List<PendingItemRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!PendingKindNames.TryParse(reader.GetString(1), out var kind))
                throw new EventStoreException($"Unknown pending item kind '{reader.GetString(1)}' in the database.");
            items.Add(new PendingItemRow(reader.GetString(0), sessionId, kind, reader.IsDBNull(2) ? null : reader.GetString(2), UnixMicros.ToNullable(reader.GetValue(3))));
        }
        return items;
    }

    public async Task<int> CountPendingAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pending_items WHERE {new Filter().InSessionsOf(projects).Apply(command)}";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<string?> GetResumeNoteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT resume_note FROM sessions WHERE id = $id";
        command.Parameters.AddWithValue("$id", sessionId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<QuestionDto?> GetQuestionAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("questions", QuestionColumns, new Filter().Equal("id", id).Where(ItemNotDeleted), null, 1, ReadQuestion, cancellationToken)).Items.FirstOrDefault();

    public Task<Page<QuestionDto>> ListQuestionsAsync(ItemQuery query, CancellationToken cancellationToken = default) =>
        PageAsync("questions", QuestionColumns, ItemFilter(query),
            query.Cursor, query.Limit, ReadQuestion, cancellationToken);

    public async Task<ReviewDto?> GetReviewAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("reviews", ReviewColumns, new Filter().Equal("id", id).Where(ItemNotDeleted), null, 1, ReadReview, cancellationToken)).Items.FirstOrDefault();

    public Task<Page<ReviewDto>> ListReviewsAsync(ItemQuery query, CancellationToken cancellationToken = default) =>
        PageAsync("reviews", ReviewColumns, ItemFilter(query),
            query.Cursor, query.Limit, ReadReview, cancellationToken);

    public async Task<ApprovalDto?> GetApprovalAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("approvals", ApprovalColumns, new Filter().Equal("id", id).Where(ItemNotDeleted), null, 1, ReadApproval, cancellationToken)).Items.FirstOrDefault();

    public Task<Page<ApprovalDto>> ListApprovalsAsync(ItemQuery query, CancellationToken cancellationToken = default) =>
        PageAsync("approvals", ApprovalColumns, ItemFilter(query),
            query.Cursor, query.Limit, ReadApproval, cancellationToken);

    public async Task<IReadOnlyList<AllowRuleDto>> ListAllowRulesAsync(CancellationToken cancellationToken = default) =>
        (await PageAsync("allow_rules", "id, scope, session_id, project_id, tool, shape, created_by, created_at, created_seq", new Filter(), null, 1000,
            r => new AllowRuleDto(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetString(4), r.GetString(5), r.GetString(6), UnixMicros.ToDateTimeOffset(r.GetInt64(7))), cancellationToken)).Items;

    private const string DependencyColumns = "id, session_id, type, name, description, required, status, created_at, provided_at, provided_by, created_seq";

    public async Task<DependencyDto?> GetDependencyAsync(string id, CancellationToken cancellationToken = default) =>
        (await PageAsync("dependencies", DependencyColumns, new Filter().Equal("id", id).Where(ItemNotDeleted), null, 1, ReadDependency, cancellationToken)).Items.FirstOrDefault();

    public Task<Page<DependencyDto>> ListDependenciesAsync(ItemQuery query, CancellationToken cancellationToken = default) =>
        PageAsync("dependencies", DependencyColumns, ItemFilter(query),
            query.Cursor, query.Limit, ReadDependency, cancellationToken);

    private static DependencyDto ReadDependency(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5) != 0,
        r.GetString(6), UnixMicros.ToDateTimeOffset(r.GetInt64(7)), UnixMicros.ToNullable(r.GetValue(8)), r.IsDBNull(9) ? null : r.GetString(9));

    private static Filter ItemFilter(ItemQuery query) =>
        new Filter().Equal("status", query.Status).Equal("session_id", query.SessionId).InSessionsOf(query.Projects).Where(ItemNotDeleted);

    // An item of a deleted session is in no list, as its session is not.
    private const string ItemNotDeleted = "session_id NOT IN (SELECT id FROM sessions WHERE status = 'deleted')";

    public async Task<UsageStats> GetUsageStatsAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT status, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cost_nano_usd) FROM sessions WHERE {new Filter().Within("project_id", projects).Apply(command)} GROUP BY status";
        var byStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        long input = 0, output = 0, cache = 0, nano = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A deleted session is counted nowhere, but what it spent was spent: it stays in the totals.
            if (reader.GetString(0) != "deleted")
                byStatus[reader.GetString(0)] = reader.GetInt32(1);
            input += reader.GetInt64(2);
            output += reader.GetInt64(3);
            cache += reader.GetInt64(4);
            nano += reader.GetInt64(5);
        }
        return new UsageStats(byStatus, input, output, cache, nano / 1_000_000_000m);
    }

    public async Task<IReadOnlyList<UsageRow>> GetUsageAsync(UsageGrouping groupBy, IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default)
    {
        // The grouping column comes from this switch, never from the caller's text.
        var filter = new Filter().Within("project_id", projects);
        var (key, table, order) = groupBy switch
        {
            UsageGrouping.Day => ("day", "usage_daily", "1 DESC"),
            UsageGrouping.Model => ("model", "usage_daily", "5 DESC"),
            UsageGrouping.Project => ("project_id", "usage_daily", "5 DESC"),
            _ => ("id", "sessions", "5 DESC"),
        };
        // By session, a deleted one is not listed; by day, model or project its spending stays counted.
        if (table == "sessions")
            filter.Where(NotDeleted);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {key}, SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cost_nano_usd)
            FROM {table} WHERE {filter.Apply(command)} GROUP BY 1 ORDER BY {order} LIMIT 1000
            """;
        var rows = new List<UsageRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new UsageRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4) / 1_000_000_000m));
        return rows;
    }

    /// <summary>
    /// A page of rows newest first. The cursor is the <c>created_seq</c> of the last row of the
    /// previous page (the last column selected); one extra row tells whether another page exists.
    /// </summary>
    private async Task<Page<T>> PageAsync<T>(string table, string columns, Filter filter, string? cursor, int limit, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 1000);
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            filter.Less("created_seq", before);
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {columns} FROM {table} WHERE {filter.Apply(command)} ORDER BY created_seq DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit + 1);
        var items = new List<T>();
        long lastSeq = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == limit)
                return new Page<T>(items, lastSeq.ToString(CultureInfo.InvariantCulture));
            items.Add(map(reader));
            lastSeq = reader.GetInt64(reader.FieldCount - 1);
        }
        return new Page<T>(items, null);
    }

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
        Usage: new UsageDto(reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11) / 1_000_000_000m, reader.GetInt64(20)),
        Pending: new PendingDto(reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15)),
        Priority: reader.GetInt32(16),
        Reason: reader.IsDBNull(17) ? null : reader.GetString(17),
        RateLimitedUntil: UnixMicros.ToNullable(reader.GetValue(18)),
        AgentSessionId: reader.IsDBNull(19) ? null : reader.GetString(19),
        Worktree: reader.IsDBNull(21) ? null : new WorktreeDto(reader.GetString(21), reader.GetString(22), reader.GetString(23), reader.GetString(24)),
        Sandbox: reader.IsDBNull(25) ? null : reader.GetString(25),
        Hibernated: reader.GetInt64(26) != 0,
        InterruptedBy: InterruptionCauseNames.Parse(reader.IsDBNull(27) ? null : reader.GetString(27)),
        TemplateId: reader.IsDBNull(28) ? null : reader.GetString(28),
        StartedBy: reader.IsDBNull(29) ? null : new UserRefDto(reader.GetString(29), reader.IsDBNull(30) ? reader.GetString(29) : reader.GetString(30)),
        ScheduleId: reader.IsDBNull(31) ? null : reader.GetString(31),
        Retry: reader.IsDBNull(32) ? null : new SessionRetryDto(
            JsonSerializer.Deserialize(reader.GetString(32), OverseerJson.Default.RetryPolicyDto)!,
            reader.IsDBNull(33) ? 1 : reader.GetInt32(33),
            reader.IsDBNull(35) ? reader.GetString(0) : reader.GetString(35),
            PreviousAttemptId: reader.IsDBNull(34) ? null : reader.GetString(34),
            NextAttemptId: reader.IsDBNull(38) ? null : reader.GetString(38),
            NextAttemptAt: reader.IsDBNull(36) || reader.GetString(36) != "scheduled" ? null : UnixMicros.ToNullable(reader.GetValue(37)),
            RetryStatus: reader.IsDBNull(36) ? null : reader.GetString(36)),
        // No title given (or a session from before titles): the prompt's first line.
        Title: reader.IsDBNull(39) ? SessionTasks.TitleFrom(reader.GetString(2)) : reader.GetString(39),
        Description: reader.IsDBNull(40) ? null : reader.GetString(40),
        Type: reader.IsDBNull(41) ? null : reader.GetString(41),
        Progress: reader.IsDBNull(49) ? null : new ProgressDto(
            Phase: reader.IsDBNull(42) ? null : reader.GetString(42),
            PhaseIndex: reader.IsDBNull(43) ? null : reader.GetInt32(43),
            PhaseTotal: reader.IsDBNull(44) ? null : reader.GetInt32(44),
            Percent: reader.IsDBNull(45) ? null : reader.GetInt32(45),
            Text: reader.IsDBNull(46) ? null : reader.GetString(46),
            Step: reader.IsDBNull(47) ? null : reader.GetInt32(47),
            Steps: reader.IsDBNull(48) ? null : reader.GetInt32(48),
            UpdatedAt: UnixMicros.ToDateTimeOffset(reader.GetInt64(49))),
        TriggerId: reader.IsDBNull(50) ? null : reader.GetString(50),
        SourceUrl: reader.IsDBNull(51) ? null : reader.GetString(51));

    /// <summary>Every attempt of the chain that <paramref name="firstAttemptId"/> began, in order.</summary>
    public async Task<IReadOnlyList<AttemptDto>> ListAttemptsAsync(string firstAttemptId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT id, COALESCE(attempt, 1), status, cost_nano_usd, created_at, ended_at, reason FROM sessions
            WHERE id = $first OR first_attempt_id = $first ORDER BY COALESCE(attempt, 1), created_seq
            """;
        command.Parameters.AddWithValue("$first", firstAttemptId);
        var attempts = new List<AttemptDto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            attempts.Add(new AttemptDto(reader.GetString(0), reader.GetInt32(1),
                SessionStatusNames.TryParse(reader.GetString(2), out var status) ? status : SessionStatus.Failed,
                reader.GetInt64(3) / 1_000_000_000m, UnixMicros.ToDateTimeOffset(reader.GetInt64(4)), UnixMicros.ToNullable(reader.GetValue(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return attempts;
    }

    private static QuestionDto ReadQuestion(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        JsonSerializer.Deserialize(reader.GetString(2), OverseerJson.Default.IReadOnlyListQuestionItem)!,
        reader.GetString(3),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), OverseerJson.Default.IReadOnlyDictionaryStringJsonElement));

    private static ApprovalDto ReadApproval(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), JsonElement.Parse(r.GetString(3)), r.GetString(4), r.GetString(5), r.GetString(6),
        r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), UnixMicros.ToDateTimeOffset(r.GetInt64(9)), UnixMicros.ToDateTimeOffset(r.GetInt64(10)),
        r.IsDBNull(11) ? null : r.GetString(11), UnixMicros.ToNullable(r.GetValue(12)), r.IsDBNull(13) ? null : r.GetString(13),
        r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15));

    private static ReviewDto ReadReview(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt32(4),
        reader.GetString(5),
        UnixMicros.ToDateTimeOffset(reader.GetInt64(6)),
        UnixMicros.ToNullable(reader.GetValue(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.IsDBNull(10) ? null : JsonSerializer.Deserialize(reader.GetString(10), OverseerJson.Default.IReadOnlyListChangedFileData),
        reader.IsDBNull(11) ? null : reader.GetString(11));

    /// <summary>A WHERE clause of parameterised conditions; absent values add none.</summary>
    private sealed class Filter
    {
        private readonly List<string> _conditions = ["1 = 1"];
        private readonly List<(string Name, object Value)> _parameters = [];

        public Filter Equal(string column, string? value)
        {
            if (value is not null)
                _conditions.Add($"{column} = {Add(value)}");
            return this;
        }

        /// <summary>A fixed condition written here (never from a caller's text).</summary>
        public Filter Where(string condition)
        {
            _conditions.Add(condition);
            return this;
        }

        public Filter In(string column, IEnumerable<string>? values)
        {
            var list = values?.ToList();
            if (list is { Count: > 0 })
                _conditions.Add($"{column} IN ({string.Join(", ", list.Select(Add))})");
            return this;
        }

        /// <summary>Only rows whose column is one of <paramref name="values"/>; none when the set is empty, all when it is null.</summary>
        public Filter Within(string column, IReadOnlyCollection<string>? values)
        {
            if (values is null)
                return this;
            _conditions.Add(values.Count == 0 ? "0 = 1" : $"{column} IN ({string.Join(", ", values.Select(Add))})");
            return this;
        }

        /// <summary>Only items of sessions in <paramref name="projects"/> (all when null).</summary>
        public Filter InSessionsOf(IReadOnlyCollection<string>? projects)
        {
            if (projects is null)
                return this;
            _conditions.Add(projects.Count == 0 ? "0 = 1" : $"session_id IN (SELECT id FROM sessions WHERE project_id IN ({string.Join(", ", projects.Select(Add))}))");
            return this;
        }

        public Filter Less(string column, long value)
        {
            _conditions.Add($"{column} < {Add(value)}");
            return this;
        }

        private string Add(object value)
        {
            var name = "$p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
            _parameters.Add((name, value));
            return name;
        }

        public string Apply(SqliteCommand command)
        {
            foreach (var (name, value) in _parameters)
                command.Parameters.AddWithValue(name, value);
            return string.Join(" AND ", _conditions);
        }
    }
}
