using Microsoft.Data.Sqlite;

namespace Overseer.Storage.Sqlite;

/// <summary>Versioned schema changes, applied in order at start-up; each runs in its own transaction.</summary>
internal static class SqliteMigrations
{
    // Append new migrations at the end; never edit one that has shipped.
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE events (
            seq         INTEGER PRIMARY KEY,
            session_id  TEXT,
            session_seq INTEGER NOT NULL,
            type        TEXT NOT NULL,
            ts          INTEGER NOT NULL, -- unix microseconds
            actor       TEXT NOT NULL,
            data        TEXT NOT NULL
        );
        CREATE UNIQUE INDEX ix_events_session ON events(session_id, session_seq) WHERE session_id IS NOT NULL;

        CREATE TABLE projects (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            path       TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE sessions (
            id                   TEXT PRIMARY KEY,
            created_seq          INTEGER NOT NULL,
            project_id           TEXT NOT NULL,
            prompt               TEXT NOT NULL,
            runtime              TEXT NOT NULL,
            model                TEXT,
            priority             INTEGER NOT NULL,
            status               TEXT NOT NULL,
            reason               TEXT,
            created_at           INTEGER NOT NULL,
            started_at           INTEGER,
            ended_at             INTEGER,
            rate_limited_until   INTEGER,
            input_tokens         INTEGER NOT NULL DEFAULT 0,
            output_tokens        INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens    INTEGER NOT NULL DEFAULT 0,
            cost_nano_usd        INTEGER NOT NULL DEFAULT 0,
            pending_approvals    INTEGER NOT NULL DEFAULT 0,
            pending_questions    INTEGER NOT NULL DEFAULT 0,
            pending_dependencies INTEGER NOT NULL DEFAULT 0,
            pending_reviews      INTEGER NOT NULL DEFAULT 0,
            agent_session_id     TEXT
        );
        CREATE UNIQUE INDEX ix_sessions_created ON sessions(created_seq);
        CREATE INDEX ix_sessions_status ON sessions(status);
        CREATE INDEX ix_sessions_project ON sessions(project_id);

        CREATE TABLE questions (
            id          TEXT PRIMARY KEY,
            created_seq INTEGER NOT NULL,
            session_id  TEXT NOT NULL,
            questions   TEXT NOT NULL,
            status      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            answers     TEXT,
            decided_at  INTEGER
        );
        CREATE INDEX ix_questions_status ON questions(status, created_seq);
        CREATE INDEX ix_questions_session ON questions(session_id);

        CREATE TABLE reviews (
            id          TEXT PRIMARY KEY,
            created_seq INTEGER NOT NULL,
            session_id  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            plan        TEXT,
            phase       INTEGER,
            status      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            decided_at  INTEGER,
            feedback    TEXT,
            decided_by  TEXT
        );
        CREATE INDEX ix_reviews_status ON reviews(status, created_seq);
        CREATE INDEX ix_reviews_session ON reviews(session_id);

        CREATE TABLE api_tokens (
            id         TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            hash       TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE approvals (
            id             TEXT PRIMARY KEY,
            created_seq    INTEGER NOT NULL,
            session_id     TEXT NOT NULL,
            tool_use_id    TEXT NOT NULL,
            tool           TEXT NOT NULL,
            input          TEXT NOT NULL,
            tier           TEXT NOT NULL,
            reason         TEXT NOT NULL,
            rule           TEXT NOT NULL,
            confirm_phrase TEXT,
            status         TEXT NOT NULL,
            created_at     INTEGER NOT NULL,
            expires_at     INTEGER NOT NULL,
            decided_by     TEXT,
            decided_at     INTEGER,
            decision       TEXT,
            how            TEXT,
            decision_reason TEXT
        );
        CREATE INDEX ix_approvals_status ON approvals(status, created_seq);
        CREATE INDEX ix_approvals_session ON approvals(session_id);

        CREATE TABLE allow_rules (
            id          TEXT PRIMARY KEY,
            created_seq INTEGER NOT NULL,
            scope       TEXT NOT NULL,
            session_id  TEXT,
            project_id  TEXT,
            tool        TEXT NOT NULL,
            shape       TEXT NOT NULL,
            created_by  TEXT NOT NULL,
            created_at  INTEGER NOT NULL
        );
        """,
        """
        ALTER TABLE sessions ADD COLUMN worktree_path TEXT;
        ALTER TABLE sessions ADD COLUMN worktree_branch TEXT;
        ALTER TABLE sessions ADD COLUMN worktree_base TEXT;
        ALTER TABLE sessions ADD COLUMN worktree_state TEXT;
        """,
        """
        ALTER TABLE reviews ADD COLUMN files TEXT;
        ALTER TABLE reviews ADD COLUMN diff TEXT;
        """,
        """
        -- Secret values never go into the event log: only here, encrypted.
        CREATE TABLE secrets (
            name       TEXT PRIMARY KEY,
            envelope   TEXT NOT NULL,
            projects   TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE dependencies (
            id          TEXT PRIMARY KEY,
            created_seq INTEGER NOT NULL,
            session_id  TEXT NOT NULL,
            type        TEXT NOT NULL,
            name        TEXT NOT NULL,
            description TEXT,
            required    INTEGER NOT NULL,
            status      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            provided_at INTEGER,
            provided_by TEXT
        );
        CREATE INDEX ix_dependencies_status ON dependencies(status, created_seq);
        """,
        // Usage by day, model and project for the stats page and /api/usage, kept by the
        // projection from each usage.updated delta; existing logs are summed once here.
        """
        CREATE TABLE usage_daily (
            day               TEXT NOT NULL,
            model             TEXT NOT NULL,
            project_id        TEXT NOT NULL,
            input_tokens      INTEGER NOT NULL DEFAULT 0,
            output_tokens     INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cost_nano_usd     INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (day, model, project_id)
        );
        INSERT INTO usage_daily(day, model, project_id, input_tokens, output_tokens, cache_read_tokens, cost_nano_usd)
        SELECT date(e.ts / 1000000, 'unixepoch'), COALESCE(json_extract(e.data, '$.model'), ''), s.project_id,
               SUM(json_extract(e.data, '$.inputTokens')), SUM(json_extract(e.data, '$.outputTokens')),
               SUM(json_extract(e.data, '$.cacheReadTokens')), SUM(CAST(ROUND(json_extract(e.data, '$.costUsd') * 1000000000) AS INTEGER))
        FROM events e JOIN sessions s ON s.id = e.session_id
        WHERE e.type = 'usage.updated'
        GROUP BY 1, 2, 3;
        """,
        // How the session's agent is walled in (bubblewrap, off), from its latest agent.sandbox event.
        """
        ALTER TABLE sessions ADD COLUMN sandbox TEXT;
        UPDATE sessions SET sandbox = (SELECT json_extract(e.data, '$.mode') FROM events e
            WHERE e.session_id = sessions.id AND e.type = 'agent.sandbox' ORDER BY e.seq DESC LIMIT 1);
        """,
        // Whole texts an event shows only the head of (a 7 MB agent line): written in the
        // transaction of the first event that refers to one, once per session and content.
        """
        CREATE TABLE blobs (
            session_id  TEXT NOT NULL,
            id          TEXT NOT NULL,    -- lowercase hex SHA-256 of content
            length      INTEGER NOT NULL, -- in chars (UTF-16 code units), the events' fullLength
            content     BLOB NOT NULL,    -- UTF-8
            created_seq INTEGER NOT NULL, -- the event that stored it first
            PRIMARY KEY (session_id, id)
        );
        """,
        // Every open approval, question, dependency and review in one collection: one insert when
        // an item opens, one delete when it closes, one query to count them (the four per-kind
        // counters on sessions are gone). detail is what the session needs to go on after a
        // restart without the process that asked (the question, the review's kind, the name);
        // due_at is a durable timer's due time. resume_note is what the agent must be told on its
        // next message (approvals that expired when their process was gone).
        """
        CREATE TABLE pending_items (
            id          TEXT PRIMARY KEY,
            created_seq INTEGER NOT NULL,
            session_id  TEXT NOT NULL,
            kind        TEXT NOT NULL,
            detail      TEXT,
            due_at      INTEGER
        );
        CREATE INDEX ix_pending_items_session ON pending_items(session_id, kind);
        INSERT INTO pending_items(id, created_seq, session_id, kind, detail, due_at)
            SELECT id, created_seq, session_id, 'approval', tool, expires_at FROM approvals WHERE status = 'pending'
            UNION ALL SELECT id, created_seq, session_id, 'question', json_extract(questions, '$[0].question'), NULL FROM questions WHERE status = 'pending'
            UNION ALL SELECT id, created_seq, session_id, 'dependency', name, NULL FROM dependencies WHERE status = 'pending'
            UNION ALL SELECT id, created_seq, session_id, 'review', kind, NULL FROM reviews WHERE status = 'pending';
        ALTER TABLE sessions DROP COLUMN pending_approvals;
        ALTER TABLE sessions DROP COLUMN pending_questions;
        ALTER TABLE sessions DROP COLUMN pending_dependencies;
        ALTER TABLE sessions DROP COLUMN pending_reviews;
        ALTER TABLE sessions ADD COLUMN resume_note TEXT;
        """,
        // Whether the session's agent process is stopped while the session keeps its conversation
        // (agent.hibernated sets it, the next agent.started clears it).
        "ALTER TABLE sessions ADD COLUMN hibernated INTEGER NOT NULL DEFAULT 0;",
        IdempotencyKeysMigration.Sql,
        // Full-text search over prompts and transcripts (FTS5, which the bundled e_sqlite3 has).
        SqliteSearchIndex.Migration,
        InterruptionCauseMigration.Sql,
        UsersMigration.Sql,
        TemplatesMigration.Sql,
        PermissionsMigration.Sql,
        // Who did what: the audit trail, filled from the log so far (see SqliteAudit).
        SqliteAudit.Migration,
        SignInMigration.Sql,
        NotificationsMigration.Sql,
        SchedulesMigration.Sql,
        TasksMigration.Sql,
        BudgetsMigration.Sql,
        TriggersMigration.Sql,
        MonitoringMigration.Sql,
    ];

    public static int LatestVersion => Steps.Length;

    /// <summary>The version a step brings the schema to: tests that rebuild an older database start from it.</summary>
    internal static int VersionOf(string step) => Array.IndexOf(Steps, step) + 1;

    public static async Task<int> ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
            current = (long)(await query.ExecuteScalarAsync(cancellationToken))!;
        }
        if (current > Steps.Length)
            throw new EventStoreException($"The database schema is version {current}, newer than this Overseer understands ({Steps.Length}). Upgrade Overseer.");

        for (var version = (int)current + 1; version <= Steps.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = Steps[version - 1] + "\nINSERT INTO schema_migrations(version, applied_at) VALUES ($v, $t);";
            step.Parameters.AddWithValue("$v", version);
            step.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await step.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return Steps.Length;
    }
}
