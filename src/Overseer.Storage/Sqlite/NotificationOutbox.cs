using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Events;
using Overseer.Storage.Notifications;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Writes the intent to notify in the transaction of the event that asks for a person: the
/// event and its notification are stored together or not at all, so a crash between them
/// loses neither. The dispatcher turns each row into one notification per matching channel.
/// </summary>
internal static class NotificationOutbox
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        var (kind, item) = e.Type switch
        {
            EventTypes.ApprovalRequested => (NotificationKinds.Approval, Id(e.Data, "approvalId")),
            EventTypes.QuestionAsked => (NotificationKinds.Question, Id(e.Data, "questionId")),
            EventTypes.ReviewRequested => (NotificationKinds.Review, Id(e.Data, "reviewId")),
            EventTypes.DependencyRequested => (NotificationKinds.Dependency, Id(e.Data, "dependencyId")),
            EventTypes.SessionFailed => (NotificationKinds.SessionFailed, e.SessionId),
            EventTypes.SessionCompleted => (NotificationKinds.SessionCompleted, e.SessionId),
            // A session may hit a limit more than once: each time is its own item.
            EventTypes.SessionRateLimited or EventTypes.AgentLimitReached => (NotificationKinds.LimitReached, $"{e.SessionId}:{e.Seq}"),
            // Each warning and each stop is its own item (the event's seq finds it again).
            EventTypes.BudgetWarning or EventTypes.BudgetExceeded => (NotificationKinds.Budget, $"{e.SessionId}:{e.Seq}"),
            // Each raise and each resolve of an alert is its own item.
            Contracts.Monitoring.MonitoringEvents.AlertRaised => (NotificationKinds.Alert, Id(e.Data, "alertId")),
            Contracts.Monitoring.MonitoringEvents.AlertResolved => (NotificationKinds.Alert, Id(e.Data, "alertId") + ":resolved"),
            _ => (null, null),
        };
        if (kind is null || item is null)
            return;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO notification_outbox(seq, session_id, kind, item_id, created_at) VALUES ($seq, $session, $kind, $item, $ts)";
        command.Parameters.AddWithValue("$seq", e.Seq);
        command.Parameters.AddWithValue("$session", (object?)e.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$item", item);
        command.Parameters.AddWithValue("$ts", UnixMicros.From(e.Ts));
        command.ExecuteNonQuery();
    }

    private static string? Id(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
