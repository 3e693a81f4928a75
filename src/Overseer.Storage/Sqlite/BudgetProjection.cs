using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

using static Overseer.Storage.Sqlite.SqliteProjections;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Keeps budgets' spend and bookkeeping in the transaction of the events they come from: usage adds
/// to its UTC day and month, project and starter; a session created with <c>budgetUsd</c> gets its budget; a
/// warning is remembered for its period; an approved overrun is the session's until replaced.
/// </summary>
internal static class BudgetProjection
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        switch (e.Type)
        {
            case EventTypes.UsageUpdated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!;
                var day = e.Ts.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                // Its day and its month: every period a budget counts is then one row per project and starter.
                foreach (var period in (string[])[day, day[..7]])
                {
                    Execute(connection, transaction,
                        """
                        INSERT INTO budget_spend(period_key, project_id, user_id, cost_nano_usd, tokens)
                        SELECT $period, project_id, COALESCE(started_by, ''), $cost, $tokens FROM sessions WHERE id = $id
                        ON CONFLICT(period_key, project_id, user_id) DO UPDATE SET
                            cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd,
                            tokens = tokens + excluded.tokens
                        """,
                        ("$id", e.SessionId), ("$period", period), ("$cost", NanoUsd.From(data.CostUsd)), ("$tokens", data.InputTokens + data.OutputTokens));
                }
                break;
            }
            case EventTypes.SessionCreated:
            {
                if (e.Data.Deserialize(OverseerJson.Default.SessionCreatedData)!.BudgetUsd is not { } limit)
                    break;
                var ts = UnixMicros.From(e.Ts);
                Execute(connection, transaction,
                    """
                    INSERT INTO budgets(id, scope, target, period, limit_nano_usd, created_by, created_at, updated_by, updated_at)
                    VALUES ('b_' || $id, $scope, $id, $period, $limit, $by, $ts, $by, $ts)
                    ON CONFLICT(scope, target, period) DO NOTHING
                    """,
                    ("$id", e.SessionId), ("$scope", BudgetScopes.Session), ("$period", BudgetPeriods.None), ("$limit", NanoUsd.From(limit)),
                    ("$by", e.Actor), ("$ts", ts));
                break;
            }
            case EventTypes.BudgetWarning:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.BudgetReachedData)!;
                Execute(connection, transaction,
                    "INSERT INTO budget_warnings(budget_id, period_key, limit_key, seq) VALUES ($budget, $period, $limit, $seq) ON CONFLICT DO NOTHING",
                    ("$budget", data.BudgetId), ("$period", data.PeriodKey ?? ""), ("$limit", BudgetKeys.Limit(data.LimitUsd, data.LimitTokens)), ("$seq", e.Seq));
                break;
            }
            case EventTypes.BudgetExceeded:
                // A queued session held back by a budget says so where its state is read (the board, the API).
                Execute(connection, transaction, "UPDATE sessions SET reason = 'budget' WHERE id = $id AND status = 'queued'", ("$id", e.SessionId));
                break;
            case EventTypes.BudgetOverrunApproved:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.BudgetOverrunApprovedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO budget_overruns(session_id, until_nano_usd, seq) VALUES ($id, $until, $seq)
                    ON CONFLICT(session_id) DO UPDATE SET until_nano_usd = excluded.until_nano_usd, seq = excluded.seq
                    """,
                    ("$id", e.SessionId), ("$until", NanoUsd.From(data.UntilUsd)), ("$seq", e.Seq));
                break;
            }
            case EventTypes.ProjectDeleted:
                Execute(connection, transaction, "DELETE FROM budgets WHERE scope = $scope AND target = $id",
                    ("$scope", BudgetScopes.Project), ("$id", e.Data.Deserialize(OverseerJson.Default.ProjectDeletedData)!.ProjectId));
                break;
        }
    }
}
