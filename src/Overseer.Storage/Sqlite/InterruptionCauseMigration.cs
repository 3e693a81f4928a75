namespace Overseer.Storage.Sqlite;

/// <summary>
/// What interrupted a session (<c>stop</c>, <c>crash</c>), set by its state change. Sessions
/// interrupted before it was stored are told apart once, by the reasons Overseer wrote then.
/// </summary>
internal static class InterruptionCauseMigration
{
    public const string Sql =
        """
        ALTER TABLE sessions ADD COLUMN interrupted_by TEXT;
        UPDATE sessions SET interrupted_by = CASE
            WHEN reason LIKE 'Overseer stopped%' THEN 'stop'
            WHEN reason LIKE 'Overseer restarted%' THEN 'crash' END
        WHERE status = 'interrupted';
        """;
}
