namespace Overseer.Storage.Sqlite;

/// <summary>
/// Permissions: whether a project lets its operators approve RED actions (off: only admins
/// may), and who started each session. Sessions from before have no starter recorded.
/// </summary>
internal static class PermissionsMigration
{
    public const string Sql =
        """
        ALTER TABLE projects ADD COLUMN operators_may_approve_red INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN started_by TEXT;
        ALTER TABLE sessions ADD COLUMN started_by_name TEXT;
        """;
}
