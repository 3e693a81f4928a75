namespace Overseer.Storage.Sqlite;

/// <summary>
/// The table behind <c>Idempotency-Key</c> on <c>POST /api/sessions</c>, in a file of its own so that
/// migrations written side by side meet only at their one line in <see cref="SqliteMigrations"/>.
/// </summary>
internal static class IdempotencyKeysMigration
{
    public const string Sql =
        """
        CREATE TABLE idempotency_keys (
            owner       TEXT NOT NULL,    -- the API token's id: one caller's keys never answer another's
            key         TEXT NOT NULL,
            fingerprint TEXT NOT NULL,    -- SHA-256 of the request as understood
            resource_id TEXT NOT NULL,
            response    TEXT NOT NULL,    -- the first response's body, sent again to a retry
            created_at  INTEGER NOT NULL, -- unix microseconds; records older than a day are forgotten
            PRIMARY KEY (owner, key)
        );
        CREATE INDEX ix_idempotency_keys_created ON idempotency_keys(created_at);
        """;
}
