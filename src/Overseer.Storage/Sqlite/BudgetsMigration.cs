namespace Overseer.Storage.Sqlite;

/// <summary>
/// Budgets and what they are measured against. Spend is kept by UTC day and by UTC month (a row
/// each), project and the user who started the session, from each <c>usage.updated</c> delta (the
/// log so far is summed once here): a project's or a user's day or month is a few rows found by
/// key (one per starter or project), and everyone's is the period's rows (one per project and
/// starter that spent in it). An 80%
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
            period_key    TEXT NOT NULL,            -- a UTC day (yyyy-MM-dd) or month (yyyy-MM)
            project_id    TEXT NOT NULL,
            user_id       TEXT NOT NULL DEFAULT '', -- who started the session; '' for none
            cost_nano_usd INTEGER NOT NULL DEFAULT 0,
            tokens        INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (period_key, project_id, user_id)
        ) WITHOUT ROWID;
        -- A project's period is its primary key's prefix; a user's needs its own index.
        CREATE INDEX ix_budget_spend_user ON budget_spend(user_id, period_key);
        -- Each usage counts in its day (the date's 10 characters) and its month (the first 7).
        INSERT INTO budget_spend(period_key, project_id, user_id, cost_nano_usd, tokens)
        SELECT substr(date(e.ts / 1000000, 'unixepoch'), 1, l.length), s.project_id, COALESCE(s.started_by, ''),
               SUM(CAST(ROUND(json_extract(e.data, '$.costUsd') * 1000000000) AS INTEGER)),
               SUM(json_extract(e.data, '$.inputTokens') + json_extract(e.data, '$.outputTokens'))
        FROM events e JOIN sessions s ON s.id = e.session_id
        CROSS JOIN (SELECT 10 AS length UNION ALL SELECT 7) l
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
