using System.Collections.Frozen;
using Microsoft.Data.Sqlite;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// The audit trail: one row for each thing a person did (a decision, an answer, a message, a
/// cancel, a policy change, a session started), projected from its event in the same
/// transaction, plus rows for what is not an event (tokens created and revoked). One SQL
/// statement turns an event into its row, for the migration's backfill and for each new event.
/// </summary>
internal static class SqliteAudit
{
    /// <summary>The event types that record something a person did (when their actor is not the system or the agent).</summary>
    private static readonly FrozenSet<string> Types = FrozenSet.Create(StringComparer.Ordinal,
        EventTypes.SessionCreated, EventTypes.UserMessage, EventTypes.ApprovalDecided, EventTypes.QuestionAnswered,
        EventTypes.ReviewDecided, EventTypes.DependencyProvided, EventTypes.PolicyChanged, EventTypes.SessionPaused,
        EventTypes.SessionResumed, EventTypes.SessionCancelled, EventTypes.SessionCompleted, EventTypes.SessionInterrupted,
        EventTypes.WorkspaceMerged, EventTypes.WorkspaceDiscarded, EventTypes.AgentHibernated, EventTypes.BudgetOverrunApproved,
        // Added with drafts; no log from before has any of them by a person, so the migration's backfill is as it was.
        EventTypes.SessionUpdated, EventTypes.SessionQueued, EventTypes.SessionDeleted,
        // Added with monitoring: a person acknowledged or silenced an alert.
        Contracts.Monitoring.MonitoringEvents.AlertAcknowledged, Contracts.Monitoring.MonitoringEvents.AlertSilenced);

    private static readonly string TypeList = string.Join(", ", Types.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));

    // Approvals and reviews carry their decision in the action ("approval.approved"), so that
    // "who approved what" is one filter; the target is the item decided; the detail what it was.
    private static readonly string Insert =
        """
        INSERT INTO audit(seq, ts, action, by_name, by_user_id, token_id, project_id, session_id, target, detail)
        SELECT e.seq, e.ts,
            CASE e.type
                WHEN 'approval.decided' THEN 'approval.' || json_extract(e.data, '$.decision')
                WHEN 'review.decided' THEN 'review.' || json_extract(e.data, '$.decision')
                ELSE e.type END,
            e.actor, json_extract(e.data, '$.byUserId'), json_extract(e.data, '$.tokenId'),
            COALESCE(s.project_id, json_extract(e.data, '$.projectId')), e.session_id,
            COALESCE(json_extract(e.data, '$.approvalId'), json_extract(e.data, '$.questionId'), json_extract(e.data, '$.reviewId'),
                json_extract(e.data, '$.dependencyId'), json_extract(e.data, '$.alertId'), json_extract(e.data, '$.ruleId')),
            substr(CASE e.type
                WHEN 'session.created' THEN json_extract(e.data, '$.prompt')
                WHEN 'user.message' THEN json_extract(e.data, '$.text')
                WHEN 'approval.decided' THEN (SELECT a.tool || ': ' || COALESCE(json_extract(a.input, '$.command'), a.input) FROM approvals a
                    WHERE a.id = json_extract(e.data, '$.approvalId')) || COALESCE(' (' || json_extract(e.data, '$.reason') || ')', '')
                WHEN 'review.decided' THEN json_extract(e.data, '$.feedback')
                WHEN 'dependency.provided' THEN json_extract(e.data, '$.name')
                WHEN 'alert.silenced' THEN 'until ' || json_extract(e.data, '$.until')
                WHEN 'session.updated' THEN 'changed ' || (SELECT group_concat(value, ', ') FROM json_each(e.data, '$.changed'))
                WHEN 'question.answered' THEN json_extract(e.data, '$.answers')
                WHEN 'policy.changed' THEN json_extract(e.data, '$.action') || ' ' || json_extract(e.data, '$.scope') || ' rule: '
                    || json_extract(e.data, '$.tool') || ' ' || json_extract(e.data, '$.shape')
                ELSE json_extract(e.data, '$.reason') END, 1, 300)
        FROM events e LEFT JOIN sessions s ON s.id = e.session_id
        """;

    private static readonly string PersonOnly = $"e.type IN ({TypeList}) AND e.actor NOT IN ('{EventFactoryActors.System}', '{EventFactoryActors.Agent}')";

    public static readonly string Migration =
        $"""
        CREATE TABLE audit (
            id          INTEGER PRIMARY KEY,
            seq         INTEGER, -- the event the row comes from; null for what is not an event
            ts          INTEGER NOT NULL,
            action      TEXT NOT NULL,
            by_name     TEXT NOT NULL,
            by_user_id  TEXT,
            token_id    TEXT,
            project_id  TEXT,
            session_id  TEXT,
            target      TEXT,
            detail      TEXT
        );
        CREATE INDEX ix_audit_user ON audit(by_user_id);
        CREATE INDEX ix_audit_project ON audit(project_id);
        CREATE INDEX ix_audit_session ON audit(session_id);
        CREATE INDEX ix_audit_action ON audit(action);
        {Insert} WHERE {PersonOnly} ORDER BY e.seq;
        """;

    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        if (!Types.Contains(e.Type) || e.Actor is EventFactoryActors.System or EventFactoryActors.Agent)
            return;
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert + " WHERE e.seq = $seq";
        command.Parameters.AddWithValue("$seq", e.Seq);
        command.ExecuteNonQuery();
    }

    /// <summary>The actors that are not people (Overseer.Core's EventFactory names them; Storage cannot see it).</summary>
    private static class EventFactoryActors
    {
        public const string System = "system";
        public const string Agent = "agent";
    }
}
