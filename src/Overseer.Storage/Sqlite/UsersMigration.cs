namespace Overseer.Storage.Sqlite;

/// <summary>
/// Users, project memberships, and tokens that belong to a user, expire, are revoked and record
/// their last use. A database from before users had only the bootstrap admin token: it becomes
/// the first owner's.
/// </summary>
internal static class UsersMigration
{
    public const string Sql =
        """
        CREATE TABLE users (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role          TEXT NOT NULL,
            password_hash TEXT,
            created_at    INTEGER NOT NULL,
            disabled_at   INTEGER
        );
        CREATE TABLE project_members (
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            role       TEXT NOT NULL,
            PRIMARY KEY (project_id, user_id)
        );
        CREATE INDEX project_members_by_user ON project_members(user_id);
        ALTER TABLE api_tokens ADD COLUMN user_id TEXT;
        ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
        CREATE INDEX api_tokens_by_user ON api_tokens(user_id);
        INSERT INTO users(id, name, role, created_at)
            SELECT 'u_admin', 'admin', 'owner', MIN(created_at) FROM api_tokens HAVING COUNT(*) > 0;
        UPDATE api_tokens SET user_id = 'u_admin', role = 'owner' WHERE user_id IS NULL;
        """;
}
