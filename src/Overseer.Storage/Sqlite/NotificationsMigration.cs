namespace Overseer.Storage.Sqlite;

/// <summary>
/// Notifications: an outbox written in the transaction of the event that needs a person, the
/// channels each user receives them on, one row per channel and item (never two for the same
/// item), every delivery attempt, and the action links already used.
/// </summary>
internal static class NotificationsMigration
{
    public const string Sql =
        """
        CREATE TABLE notification_outbox (
            seq        INTEGER PRIMARY KEY, -- the event that asks for a person
            session_id TEXT,
            kind       TEXT NOT NULL,
            item_id    TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE notification_channels (
            id          TEXT PRIMARY KEY,
            user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            type        TEXT NOT NULL,
            name        TEXT NOT NULL,
            target      TEXT NOT NULL, -- JSON: where it goes (url, topic, chat, address, push subscription)
            secret      TEXT,          -- the webhook's signing secret
            preferences TEXT NOT NULL, -- JSON: kinds, projects, minimum tier, quiet hours
            enabled     INTEGER NOT NULL DEFAULT 1,
            created_at  INTEGER NOT NULL
        );
        CREATE INDEX ix_notification_channels_user ON notification_channels(user_id);
        CREATE TABLE notifications (
            id           TEXT PRIMARY KEY,
            outbox_seq   INTEGER NOT NULL,
            channel_id   TEXT NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
            user_id      TEXT NOT NULL,
            session_id   TEXT,
            project_id   TEXT,
            kind         TEXT NOT NULL,
            item_id      TEXT NOT NULL,
            status       TEXT NOT NULL, -- pending | sent | dead | dropped
            attempts     INTEGER NOT NULL DEFAULT 0,
            due_at       INTEGER NOT NULL,
            created_at   INTEGER NOT NULL,
            sent_at      INTEGER,
            delivery_key TEXT,
            last_error   TEXT,
            UNIQUE (channel_id, kind, item_id)
        );
        CREATE INDEX ix_notifications_due ON notifications(status, due_at);
        CREATE INDEX ix_notifications_user ON notifications(user_id, created_at);
        CREATE TABLE notification_attempts (
            notification_id TEXT NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
            attempt         INTEGER NOT NULL,
            delivery_key    TEXT NOT NULL,
            at              INTEGER NOT NULL,
            outcome         TEXT NOT NULL, -- delivered | failed
            detail          TEXT,
            duration_ms     INTEGER NOT NULL,
            PRIMARY KEY (notification_id, attempt)
        );
        CREATE TABLE action_link_uses (
            nonce   TEXT PRIMARY KEY,
            used_at INTEGER NOT NULL,
            used_by TEXT NOT NULL
        );
        """;
}
