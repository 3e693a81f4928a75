using Microsoft.Data.Sqlite;
using Overseer.Contracts.Api;

namespace Overseer.Storage.Sqlite;

public sealed class SqliteBudgetStore(SqliteDatabase database) : IBudgetStore
{
    // With the name of what each caps (a project's or user's name, a session's prompt) and the project it belongs to.
    private const string Select =
        """
        SELECT b.id, b.scope, b.target, b.period, b.limit_nano_usd, b.limit_tokens, b.created_by, b.created_at, b.updated_by, b.updated_at,
            CASE b.scope WHEN 'project' THEN p.name WHEN 'user' THEN u.name WHEN 'session' THEN substr(s.prompt, 1, 80) END,
            CASE b.scope WHEN 'project' THEN b.target WHEN 'session' THEN s.project_id END
        FROM budgets b
        LEFT JOIN projects p ON b.scope = 'project' AND p.id = b.target
        LEFT JOIN users u ON b.scope = 'user' AND u.id = b.target
        LEFT JOIN sessions s ON b.scope = 'session' AND s.id = b.target
        """;

    public Task<IReadOnlyList<BudgetRecord>> ListAsync(BudgetListQuery query, CancellationToken cancellationToken = default) =>
        QueryAsync(
            """
            ($scope IS NULL OR b.scope = $scope)
            AND ($scope IS NOT NULL OR b.scope <> 'session' OR s.status NOT IN ('completed', 'failed', 'cancelled'))
            AND ($project IS NULL OR (b.scope = 'project' AND b.target = $project) OR (b.scope = 'session' AND s.project_id = $project))
            """,
            [("$scope", query.Scope), ("$project", query.ProjectId)], cancellationToken, widestFirst: true);

    public async Task<BudgetRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync("b.id = $id", [("$id", id)], cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private const string Covering =
        "(b.scope = 'session' AND b.target = $session) OR (b.scope = 'project' AND b.target = $project) OR (b.scope = 'user' AND b.target = $user) OR b.scope = 'global'";

    public Task<IReadOnlyList<BudgetRecord>> CoveringAsync(string? sessionId, string projectId, string? userId, CancellationToken cancellationToken = default) =>
        QueryAsync(Covering, [("$session", sessionId), ("$project", projectId), ("$user", userId)], cancellationToken);

    public async Task<(BudgetRecord Budget, bool Created)> UpsertAsync(BudgetRecord budget, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO budgets(id, scope, target, period, limit_nano_usd, limit_tokens, created_by, created_at, updated_by, updated_at)
            VALUES ($id, $scope, $target, $period, $limit, $tokens, $by, $at, $by, $at)
            ON CONFLICT(scope, target, period) DO UPDATE SET
                limit_nano_usd = excluded.limit_nano_usd, limit_tokens = excluded.limit_tokens,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            RETURNING id, created_by, created_at
            """;
        command.Parameters.AddWithValue("$id", budget.Id);
        command.Parameters.AddWithValue("$scope", budget.Scope);
        command.Parameters.AddWithValue("$target", budget.Target);
        command.Parameters.AddWithValue("$period", budget.Period);
        command.Parameters.AddWithValue("$limit", NanoUsd.From(budget.LimitUsd));
        command.Parameters.AddWithValue("$tokens", (object?)budget.LimitTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("$by", budget.UpdatedBy);
        command.Parameters.AddWithValue("$at", UnixMicros.From(budget.UpdatedAt));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var id = reader.GetString(0);
        return (budget with { Id = id, CreatedBy = reader.GetString(1), CreatedAt = UnixMicros.ToDateTimeOffset(reader.GetInt64(2)) }, id == budget.Id);
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM budgets WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<(BudgetRecord Budget, BudgetSpend Spent)>> CoveringWithSpendAsync(string? sessionId, string projectId, string? userId,
        Func<string, string> periodKey, CancellationToken cancellationToken = default)
    {
        // One connection for the budgets and every spend: this runs at each turn boundary of every session.
        await using var connection = await database.OpenAsync(cancellationToken);
        var budgets = await QueryAsync(connection, Covering, [("$session", sessionId), ("$project", projectId), ("$user", userId)], false, cancellationToken);
        var standings = new List<(BudgetRecord, BudgetSpend)>(budgets.Count);
        foreach (var budget in budgets)
            standings.Add((budget, await SpendAsync(connection, budget.Scope, budget.Target, periodKey(budget.Period), cancellationToken)));
        return standings;
    }

    public async Task<BudgetSpend> SpendAsync(string scope, string target, string periodKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await SpendAsync(connection, scope, target, periodKey, cancellationToken);
    }

    private static async Task<BudgetSpend> SpendAsync(SqliteConnection connection, string scope, string target, string periodKey, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        // A session's row; one project's or user's row per starter or project (the primary key or an
        // index, by equality); everyone's: the period's rows, one per project and starter.
        command.CommandText = scope switch
        {
            BudgetScopes.Session => "SELECT cost_nano_usd, input_tokens + output_tokens FROM sessions WHERE id = $target",
            BudgetScopes.Project => "SELECT COALESCE(SUM(cost_nano_usd), 0), COALESCE(SUM(tokens), 0) FROM budget_spend WHERE project_id = $target AND period_key = $period",
            // Without statistics SQLite would scan the period's rows by the primary key instead.
            BudgetScopes.User => "SELECT COALESCE(SUM(cost_nano_usd), 0), COALESCE(SUM(tokens), 0) FROM budget_spend INDEXED BY ix_budget_spend_user WHERE user_id = $target AND period_key = $period",
            BudgetScopes.Global => "SELECT COALESCE(SUM(cost_nano_usd), 0), COALESCE(SUM(tokens), 0) FROM budget_spend WHERE period_key = $period",
            _ => throw new ArgumentException($"Unknown budget scope '{scope}'.", nameof(scope)),
        };
        command.Parameters.AddWithValue("$target", target);
        command.Parameters.AddWithValue("$period", periodKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BudgetSpend(NanoUsd.ToUsd(reader.GetInt64(0)), reader.GetInt64(1)) : BudgetSpend.None;
    }

    public async Task<bool> WarnedAsync(string budgetId, string periodKey, string limitKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM budget_warnings WHERE budget_id = $budget AND period_key = $period AND limit_key = $limit";
        command.Parameters.AddWithValue("$budget", budgetId);
        command.Parameters.AddWithValue("$period", periodKey);
        command.Parameters.AddWithValue("$limit", limitKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<BudgetOverrun?> OverrunAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT o.until_nano_usd, s.cost_nano_usd FROM budget_overruns o JOIN sessions s ON s.id = o.session_id WHERE o.session_id = $id";
        command.Parameters.AddWithValue("$id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new BudgetOverrun(NanoUsd.ToUsd(reader.GetInt64(0)), NanoUsd.ToUsd(reader.GetInt64(1))) : null;
    }

    public async Task<IReadOnlyList<decimal>> RecentCostsAsync(string? templateId, string? projectId, IReadOnlyCollection<string>? projects, int limit, CancellationToken cancellationToken = default)
    {
        if (templateId is null && projectId is null)
            throw new ArgumentException("Costs are of a template's runs or a project's.", nameof(templateId));
        if (projects is { Count: 0 })
            return [];
        var within = projects is null ? "" : "AND project_id IN (" + string.Join(", ", projects.Select((_, i) => "$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText =
            $"""
            SELECT cost_nano_usd FROM sessions
            WHERE {(templateId is null ? "project_id = $project" : "template_id = $template")} AND status IN ('completed', 'idle')
              {within}
            ORDER BY created_seq DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$template", (object?)templateId ?? DBNull.Value);
        command.Parameters.AddWithValue("$project", (object?)projectId ?? DBNull.Value);
        foreach (var (project, i) in (projects ?? []).Select((p, i) => (p, i)))
            command.Parameters.AddWithValue("$p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), project);
        command.Parameters.AddWithValue("$limit", limit);
        var costs = new List<decimal>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            costs.Add(NanoUsd.ToUsd(reader.GetInt64(0)));
        return costs;
    }

    private async Task<IReadOnlyList<BudgetRecord>> QueryAsync(string where, (string Name, string? Value)[] parameters, CancellationToken cancellationToken, bool widestFirst = false)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, where, parameters, widestFirst, cancellationToken);
    }

    private static async Task<IReadOnlyList<BudgetRecord>> QueryAsync(SqliteConnection connection, string where, (string Name, string? Value)[] parameters, bool widestFirst,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        // Lists go from the widest (the server's, then projects', users' and sessions'); a session's check
        // from the narrowest: its own budget is the one to name when several are spent.
        var rank = widestFirst
            ? "CASE b.scope WHEN 'global' THEN 0 WHEN 'project' THEN 1 WHEN 'user' THEN 2 ELSE 3 END"
            : "CASE b.scope WHEN 'session' THEN 0 WHEN 'project' THEN 1 WHEN 'user' THEN 2 ELSE 3 END";
        command.CommandText = $"{Select} WHERE {where} ORDER BY {rank}, 11, b.period";
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, (object?)value ?? DBNull.Value);
        var budgets = new List<BudgetRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            budgets.Add(Read(reader));
        return budgets;
    }

    private static BudgetRecord Read(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), NanoUsd.ToUsd(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetInt64(5),
        r.GetString(6), UnixMicros.ToDateTimeOffset(r.GetInt64(7)), r.GetString(8), UnixMicros.ToDateTimeOffset(r.GetInt64(9)),
        r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11));
}
