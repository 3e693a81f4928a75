namespace Overseer.Storage.Sqlite;

/// <summary>
/// Schedules and their runs, and the links between sessions: the schedule (and run) a session
/// was started for, and its retry chain. A run's session and a failed attempt's next attempt are
/// each unique, so a slot or a failure can never start two sessions, whatever crashes between.
/// </summary>
internal static class SchedulesMigration
{
    public const string Sql =
        """
        CREATE TABLE schedules (
            id                  TEXT PRIMARY KEY,
            name                TEXT NOT NULL,
            project_id          TEXT NOT NULL,
            template_id         TEXT NOT NULL,
            parameters          TEXT NOT NULL, -- JSON object, checked against the template's schema when saved
            cron                TEXT NOT NULL,
            time_zone           TEXT NOT NULL, -- IANA id
            enabled             INTEGER NOT NULL,
            missed_policy       TEXT NOT NULL, -- skip | run_once
            overlap_policy      TEXT NOT NULL, -- skip | queue | allow
            retry               TEXT,          -- JSON retry policy of the sessions it starts
            options             TEXT NOT NULL, -- JSON: runtime, model, isolation, priority, script
            created_by          TEXT NOT NULL,
            created_by_user_id  TEXT,
            created_by_token_id TEXT,
            created_at          INTEGER NOT NULL,
            updated_at          INTEGER NOT NULL,
            last_slot           INTEGER,       -- the latest slot handled (run, queued or skipped); unix microseconds
            next_slot           INTEGER        -- when it fires next; null while disabled
        );
        CREATE UNIQUE INDEX ix_schedules_name ON schedules(project_id, name COLLATE NOCASE);
        CREATE TABLE schedule_runs (
            id          TEXT PRIMARY KEY,
            schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
            slot        INTEGER NOT NULL,
            trigger     TEXT NOT NULL, -- cron | missed | manual
            status      TEXT NOT NULL, -- pending | queued | started | skipped | failed
            session_id  TEXT,
            reason      TEXT,
            by_name     TEXT NOT NULL,
            by_user_id  TEXT,
            created_at  INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ix_schedule_runs_slot ON schedule_runs(schedule_id, slot) WHERE trigger <> 'manual';
        CREATE INDEX ix_schedule_runs_schedule ON schedule_runs(schedule_id);
        CREATE INDEX ix_schedule_runs_open ON schedule_runs(status) WHERE status IN ('pending', 'queued');
        ALTER TABLE sessions ADD COLUMN schedule_id TEXT;
        ALTER TABLE sessions ADD COLUMN schedule_run_id TEXT;
        ALTER TABLE sessions ADD COLUMN retry_policy TEXT;
        ALTER TABLE sessions ADD COLUMN attempt INTEGER;
        ALTER TABLE sessions ADD COLUMN retry_of TEXT;
        ALTER TABLE sessions ADD COLUMN first_attempt_id TEXT;
        CREATE UNIQUE INDEX ix_sessions_schedule_run ON sessions(schedule_run_id) WHERE schedule_run_id IS NOT NULL;
        CREATE UNIQUE INDEX ix_sessions_retry_of ON sessions(retry_of) WHERE retry_of IS NOT NULL;
        CREATE INDEX ix_sessions_first_attempt ON sessions(first_attempt_id) WHERE first_attempt_id IS NOT NULL;
        CREATE TABLE session_retries (
            session_id       TEXT PRIMARY KEY, -- the failed attempt
            first_attempt_id TEXT NOT NULL,
            attempt          INTEGER NOT NULL, -- the attempt it starts
            due_at           INTEGER NOT NULL,
            status           TEXT NOT NULL,    -- scheduled | started | cancelled | failed
            retry_session_id TEXT,
            reason           TEXT
        );
        CREATE INDEX ix_session_retries_due ON session_retries(status, due_at);
        """;
}
