using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;
using Overseer.Contracts.Events;

using static Overseer.Storage.Sqlite.SqliteProjections;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Projects what links sessions, in the transaction of the event: the schedule run a session
/// was started for (the run is marked started with it, so a crash can leave a claimed run
/// without a session but never a session without its run), its retry policy and place in its
/// chain, and each failed attempt's retry (scheduled, started, cancelled or failed).
/// </summary>
internal static class SessionChains
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        switch (e.Type)
        {
            case EventTypes.SessionCreated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.SessionCreatedData)!;
                if (data.ScheduleId is null && data.Retry is null && data.RetryOf is null)
                    return;
                // The unique indexes on schedule_run_id and retry_of refuse a second session for
                // the same run or the same failure: the whole append fails, nothing is half-written.
                Execute(connection, transaction,
                    """
                    UPDATE sessions SET schedule_id = $schedule, schedule_run_id = $run, retry_policy = $policy, attempt = $attempt,
                        retry_of = $of, first_attempt_id = $first
                    WHERE id = $id
                    """,
                    ("$id", e.SessionId), ("$schedule", data.ScheduleId), ("$run", data.ScheduleRunId),
                    ("$policy", data.Retry is null ? null : JsonSerializer.Serialize(data.Retry, OverseerJson.Default.RetryPolicyDto)),
                    ("$attempt", data.Attempt), ("$of", data.RetryOf), ("$first", data.FirstAttemptId));
                if (data.ScheduleRunId is not null)
                    Execute(connection, transaction, "UPDATE schedule_runs SET status = 'started', session_id = $id, reason = NULL WHERE id = $run",
                        ("$id", e.SessionId), ("$run", data.ScheduleRunId));
                if (data.RetryOf is not null)
                    Execute(connection, transaction, "UPDATE session_retries SET status = 'started', retry_session_id = $id WHERE session_id = $of",
                        ("$id", e.SessionId), ("$of", data.RetryOf));
                break;
            }
            case EventTypes.SessionRetryScheduled:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.RetryScheduledData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO session_retries(session_id, first_attempt_id, attempt, due_at, status)
                    SELECT id, COALESCE(first_attempt_id, id), $attempt, $due, 'scheduled' FROM sessions WHERE id = $id
                    """,
                    ("$id", e.SessionId), ("$attempt", data.Attempt), ("$due", UnixMicros.From(data.DueAt)));
                break;
            }
            case EventTypes.SessionRetryCancelled:
                Execute(connection, transaction, "UPDATE session_retries SET status = 'cancelled', reason = $reason WHERE session_id = $id AND status = 'scheduled'",
                    ("$id", e.SessionId), ("$reason", e.Data.Deserialize(OverseerJson.Default.RetryCancelledData)!.Reason ?? "cancelled by " + e.Actor));
                break;
            case EventTypes.SessionRetryFailed:
                Execute(connection, transaction, "UPDATE session_retries SET status = 'failed', reason = $reason WHERE session_id = $id AND status = 'scheduled'",
                    ("$id", e.SessionId), ("$reason", e.Data.Deserialize(OverseerJson.Default.RetryFailedData)!.Error));
                break;
        }
    }
}
