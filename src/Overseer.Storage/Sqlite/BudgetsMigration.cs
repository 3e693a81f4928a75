namespace Overseer.Storage.Sqlite;

/// <summary>
/// Budgets and what they are measured against. Spend is kept by UTC day, project and the user who
/// started the session, from each <c>usage.updated</c> delta (the log so far is summed once here),
/// so a project's, a user's or everyone's day or month is a range read on one index. An 80%
/// warning is stored once per budget, period and limit; an approved overrun once per session.
/// </summary>
internal static class BudgetsMigration
{
    public const string Sql =
        """
        CREATE TABLE budgets (
            id             TEXT PRIMARY KEY,
            scope          TEXT NOT NULL,            -- session | project | user | global
            target         TEXT NOT NULL DEFAULT '', -- the session, project or user id; '' for global
            period         TEXT NOT NULL,            -- none (a session's life) | day | month, in UTC
            limit_nano_usd INTEGER NOT NULL,
            limit_tokens   INTEGER,
            created_by     TEXT NOT NULL,
            created_at     INTEGER NOT NULL,
            updated_by     TEXT NOT NULL,
            updated_at     INTEGER NOT NULL,
            UNIQUE (scope, target, period)
        );
        CREATE TABLE budget_spend (
            day           TEXT NOT NULL,            -- UTC, yyyy-MM-dd
            project_id    TEXT NOT NULL,
            user_id       TEXT NOT NULL DEFAULT '', -- who started the session; '' for none
            cost_nano_usd INTEGER NOT NULL DEFAULT 0,
            tokens        INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, project_id, user_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_budget_spend_project ON budget_spend(project_id, day);
        CREATE INDEX ix_budget_spend_user ON budget_spend(user_id, day);
        INSERT INTO budget_spend(day, project_id, user_id, cost_nano_usd, tokens)
        SELECT date(e.ts / 1000000, 'unixepoch'), s.project_id, COALESCE(s.started_by, ''),
               SUM(CAST(ROUND(json_extract(e.data, '$.costUsd') * 1000000000) AS INTEGER)),
               SUM(json_extract(e.data, '$.inputTokens') + json_extract(e.data, '$.outputTokens'))
        FROM events e JOIN sessions s ON s.id = e.session_id
        WHERE e.type = 'usage.updated'
        GROUP BY 1, 2, 3;
        CREATE TABLE budget_warnings (
            budget_id  TEXT NOT NULL,
            period_key TEXT NOT NULL, -- 2026-12-01, 2026-12, or '' for a session's budget
            limit_key  TEXT NOT NULL, -- the limits warned about: a raised limit warns again
            seq        INTEGER NOT NULL,
            PRIMARY KEY (budget_id, period_key, limit_key)
        ) WITHOUT ROWID;
        CREATE TABLE budget_overruns (
            session_id     TEXT PRIMARY KEY,
            until_nano_usd INTEGER NOT NULL,
            seq            INTEGER NOT NULL
        );
        -- The history a new session's cost is predicted from: the latest runs of a template, or of a project.
        CREATE INDEX ix_sessions_template ON sessions(template_id, created_seq);
        CREATE INDEX ix_sessions_project_created ON sessions(project_id, created_seq);
        """;
}
