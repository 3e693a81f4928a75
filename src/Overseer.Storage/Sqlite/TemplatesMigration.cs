namespace Overseer.Storage.Sqlite;

/// <summary>Templates people write, and the use of every template (built-in ones included).</summary>
internal static class TemplatesMigration
{
    public const string Sql =
        """
        CREATE TABLE templates (
            id                TEXT PRIMARY KEY,
            name              TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description       TEXT NOT NULL,
            category          TEXT NOT NULL,
            prompt            TEXT NOT NULL,
            parameters_schema TEXT,
            defaults          TEXT NOT NULL,
            created_by        TEXT NOT NULL,
            created_at        INTEGER NOT NULL,
            updated_at        INTEGER NOT NULL
        );
        CREATE TABLE template_usage (
            template_id  TEXT PRIMARY KEY,
            count        INTEGER NOT NULL,
            last_used_at INTEGER NOT NULL
        );
        ALTER TABLE sessions ADD COLUMN template_id TEXT;
        """;
}
