using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Events;
using Overseer.Contracts.Monitoring;

using static Overseer.Storage.Sqlite.SqliteProjections;

namespace Overseer.Storage.Sqlite;

/// <summary>Keeps the alerts table in step with the <c>alert.*</c> events, in their transaction.</summary>
internal static class AlertProjection
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        switch (e.Type)
        {
            case MonitoringEvents.AlertRaised:
            {
                var d = e.Data.Deserialize(MonitoringJson.Default.AlertRaisedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO alerts(id, rule_id, rule_name, check_id, severity, status, message, value, flapping, raised_at)
                    VALUES ($id, $rule, $name, $check, $severity, 'firing', $message, $value, $flapping, $ts)
                    """,
                    ("$id", d.AlertId), ("$rule", d.RuleId), ("$name", d.RuleName), ("$check", d.CheckId), ("$severity", d.Severity),
                    ("$message", d.Message), ("$value", d.Value), ("$flapping", d.Flapping ? 1 : 0), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case MonitoringEvents.AlertResolved:
            {
                var d = e.Data.Deserialize(MonitoringJson.Default.AlertResolvedData)!;
                Execute(connection, transaction, "UPDATE alerts SET status = 'resolved', resolved_at = $ts, value = $value WHERE id = $id",
                    ("$id", d.AlertId), ("$value", d.Value), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case MonitoringEvents.AlertAcknowledged:
            {
                var d = e.Data.Deserialize(MonitoringJson.Default.AlertAcknowledgedData)!;
                Execute(connection, transaction, "UPDATE alerts SET acked_by = $by, acked_at = $ts WHERE id = $id",
                    ("$id", d.AlertId), ("$by", d.By), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case MonitoringEvents.AlertSilenced:
            {
                var d = e.Data.Deserialize(MonitoringJson.Default.AlertSilencedData)!;
                Execute(connection, transaction, "UPDATE alerts SET silenced_until = $until, silenced_by = $by WHERE id = $id",
                    ("$id", d.AlertId), ("$by", d.By), ("$until", UnixMicros.From(d.Until)));
                break;
            }
            case MonitoringEvents.AlertRunbook:
            {
                var d = e.Data.Deserialize(MonitoringJson.Default.AlertRunbookData)!;
                Execute(connection, transaction, "UPDATE alerts SET runbook_session_id = $session, runbook_error = $error, runbook_at = $ts WHERE id = $id",
                    ("$id", d.AlertId), ("$session", d.SessionId), ("$error", d.Error), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
        }
    }
}
