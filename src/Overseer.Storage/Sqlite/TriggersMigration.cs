namespace Overseer.Storage.Sqlite;

/// <summary>
/// Triggers: webhooks from GitHub, GitLab or anything that signs its requests, mapped by rules to
/// templates; each delivery received (one per provider delivery id and per body, so a redelivery
/// or a replay starts nothing), and the comment each started session posts back once it settles.
/// Sessions remember the trigger that started them and the issue or merge request it came from.
/// </summary>
internal static class TriggersMigration
{
    public const string Sql =
        """
        CREATE TABLE triggers (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            provider    TEXT NOT NULL, -- github | gitlab | generic
            project_id  TEXT NOT NULL,
            owner_id    TEXT NOT NULL, -- who created it: its sessions start as them
            owner_name  TEXT NOT NULL,
            secret_name TEXT NOT NULL, -- the vault secret holding the signing secret
            rules       TEXT NOT NULL, -- JSON
            postback    TEXT NOT NULL, -- JSON
            enabled     INTEGER NOT NULL DEFAULT 1,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        CREATE TABLE trigger_deliveries (
            id                TEXT PRIMARY KEY,
            trigger_id        TEXT NOT NULL REFERENCES triggers(id) ON DELETE CASCADE,
            delivery_key      TEXT NOT NULL,
            body_hash         TEXT NOT NULL,
            received_at       INTEGER NOT NULL,
            event             TEXT NOT NULL,
            outcome           TEXT NOT NULL, -- starting | started | ignored | failed
            detail            TEXT,
            rule_index        INTEGER,
            session_id        TEXT,
            source_url        TEXT,
            target            TEXT,          -- JSON: the issue or merge request to comment on
            postback_status   TEXT NOT NULL, -- none | waiting | pending | sent | dead
            postback_attempts INTEGER NOT NULL DEFAULT 0,
            postback_due_at   INTEGER,
            postback_error    TEXT,
            postback_at       INTEGER,
            postback_url      TEXT,
            UNIQUE (trigger_id, delivery_key),
            UNIQUE (trigger_id, body_hash)
        );
        CREATE INDEX ix_trigger_deliveries_trigger ON trigger_deliveries(trigger_id, received_at);
        CREATE INDEX ix_trigger_deliveries_postback ON trigger_deliveries(postback_status, postback_due_at);
        ALTER TABLE sessions ADD COLUMN trigger_id TEXT;
        ALTER TABLE sessions ADD COLUMN source_url TEXT;
        """;
}
