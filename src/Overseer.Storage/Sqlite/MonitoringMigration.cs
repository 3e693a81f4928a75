namespace Overseer.Storage.Sqlite;

/// <summary>
/// Monitoring: checks and alert rules made through the API, check results (raw for a day, then
/// 5-minute sums so an average and an ok ratio can be read for 30 days), and alerts, projected
/// from the <c>alert.*</c> events in their transaction.
/// </summary>
internal static class MonitoringMigration
{
    public const string Sql =
        """
        CREATE TABLE monitor_definitions (
            kind       TEXT NOT NULL, -- check | rule
            id         TEXT NOT NULL,
            definition TEXT NOT NULL, -- JSON CheckDefinition | AlertRuleDefinition
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE check_samples (
            check_id TEXT NOT NULL,
            ts       INTEGER NOT NULL, -- unix microseconds
            value    REAL,
            ok       INTEGER NOT NULL,
            PRIMARY KEY (check_id, ts)
        ) WITHOUT ROWID;
        CREATE INDEX ix_check_samples_ts ON check_samples(ts);
        CREATE TABLE check_rollups (
            check_id    TEXT NOT NULL,
            bucket      INTEGER NOT NULL, -- start of the 5-minute bucket, unix microseconds
            value_sum   REAL NOT NULL,
            value_count INTEGER NOT NULL,
            ok_count    INTEGER NOT NULL,
            count       INTEGER NOT NULL,
            PRIMARY KEY (check_id, bucket)
        ) WITHOUT ROWID;
        CREATE TABLE alerts (
            id                 TEXT PRIMARY KEY,
            rule_id            TEXT NOT NULL,
            rule_name          TEXT NOT NULL,
            check_id           TEXT NOT NULL,
            severity           TEXT NOT NULL,
            status             TEXT NOT NULL, -- firing | resolved
            message            TEXT NOT NULL,
            value              REAL,
            flapping           INTEGER NOT NULL,
            raised_at          INTEGER NOT NULL,
            resolved_at        INTEGER,
            acked_by           TEXT,
            acked_at           INTEGER,
            silenced_until     INTEGER,
            silenced_by        TEXT,
            runbook_session_id TEXT,
            runbook_error      TEXT,
            runbook_at         INTEGER
        );
        CREATE INDEX ix_alerts_rule ON alerts(rule_id, raised_at);
        CREATE INDEX ix_alerts_status ON alerts(status, raised_at);
        """;
}
