namespace Overseer.Storage.Sqlite;

/// <summary>
/// Sessions as tasks (seed 003): a title, a description and a type, and the progress the agent
/// reports (its phase, and the step and percentage within it). Sessions from before keep a null
/// title; the read model shows their prompt's first line instead. <c>draft</c> and <c>deleted</c>
/// are statuses like the others, so no column is needed for them.
/// </summary>
internal static class TasksMigration
{
    public const string Sql =
        """
        ALTER TABLE sessions ADD COLUMN title TEXT;
        ALTER TABLE sessions ADD COLUMN description TEXT;
        ALTER TABLE sessions ADD COLUMN type TEXT;
        ALTER TABLE sessions ADD COLUMN phase TEXT;
        ALTER TABLE sessions ADD COLUMN phase_index INTEGER;
        ALTER TABLE sessions ADD COLUMN phase_total INTEGER;
        ALTER TABLE sessions ADD COLUMN percent INTEGER;
        ALTER TABLE sessions ADD COLUMN step_text TEXT;
        ALTER TABLE sessions ADD COLUMN step INTEGER;
        ALTER TABLE sessions ADD COLUMN steps INTEGER;
        ALTER TABLE sessions ADD COLUMN progress_at INTEGER;
        CREATE INDEX ix_sessions_type ON sessions(type);
        """;
}
