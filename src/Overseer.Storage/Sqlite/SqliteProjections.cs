using System.Text.Json;
using Microsoft.Data.Sqlite;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Storage.Sqlite;

/// <summary>
/// Keeps the read tables (projects, sessions, questions) in step with the log. Runs inside the
/// append transaction, so a reader never sees an event without its projection or the reverse.
/// </summary>
internal static class SqliteProjections
{
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        ApplyReadTables(connection, transaction, e);
        // After the read tables: the audit row reads the session's project and the approval's tool from them.
        SqliteAudit.Apply(connection, transaction, e);
    }

    private static void ApplyReadTables(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        SqliteSearchIndex.Apply(connection, transaction, e);
        NotificationOutbox.Apply(connection, transaction, e);
        BudgetProjection.Apply(connection, transaction, e);
        AlertProjection.Apply(connection, transaction, e);
        switch (e.Type)
        {
            case EventTypes.ProjectCreated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ProjectCreatedData)!;
                Execute(connection, transaction,
                    "INSERT INTO projects(id, name, path, created_at) VALUES ($id, $name, $path, $ts)",
                    ("$id", data.ProjectId), ("$name", data.Name), ("$path", data.Path), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case EventTypes.ProjectDeleted:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ProjectDeletedData)!;
                Execute(connection, transaction, "DELETE FROM projects WHERE id = $id", ("$id", data.ProjectId));
                break;
            }
            case EventTypes.ProjectUpdated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ProjectUpdatedData)!;
                Execute(connection, transaction, "UPDATE projects SET operators_may_approve_red = $red WHERE id = $id",
                    ("$id", data.ProjectId), ("$red", data.OperatorsMayApproveRed ? 1 : 0));
                break;
            }
            case EventTypes.SessionCreated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.SessionCreatedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO sessions(id, created_seq, project_id, prompt, runtime, model, priority, status, created_at, worktree_path, worktree_branch, worktree_base, worktree_state, template_id, started_by, started_by_name, trigger_id, source_url,
                                         title, description, type)
                    VALUES ($id, $seq, $project, $prompt, $runtime, $model, $priority, $status, $ts, $wpath, $wbranch, $wbase, $wstate, $template, $by, $byname, $trigger, $source,
                            $title, $description, $type)
                    """,
                    ("$id", e.SessionId), ("$seq", e.Seq), ("$project", data.ProjectId), ("$prompt", data.Prompt),
                    ("$runtime", data.Runtime), ("$model", data.Model), ("$priority", data.Priority), ("$ts", UnixMicros.From(e.Ts)),
                    ("$wpath", data.Worktree?.Path), ("$wbranch", data.Worktree?.Branch), ("$wbase", data.Worktree?.BaseCommit),
                    ("$wstate", data.Worktree is null ? null : "active"), ("$template", data.TemplateId), ("$by", data.StartedBy?.Id), ("$byname", data.StartedBy?.Name),
                    // A draft waits for a person; anything else is queued by the event that follows.
                    ("$status", data.Draft == true ? "draft" : "queued"), ("$title", data.Title), ("$description", data.Description), ("$type", data.Type),
                    ("$trigger", data.TriggerId), ("$source", data.SourceUrl));
                SessionChains.Apply(connection, transaction, e);
                break;
            }
            case EventTypes.SessionUpdated:
                ApplyUpdate(connection, transaction, e, e.Data.Deserialize(OverseerJson.Default.SessionUpdatedData)!);
                break;
            case EventTypes.PhaseStarted:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.PhaseStartedData)!;
                Execute(connection, transaction,
                    """
                    UPDATE sessions SET phase = $phase, phase_index = $index, phase_total = $total, percent = 0,
                        step_text = NULL, step = NULL, steps = NULL, progress_at = $ts
                    WHERE id = $id
                    """,
                    ("$id", e.SessionId), ("$phase", data.Phase), ("$index", data.Index), ("$total", data.Total), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case EventTypes.StepUpdated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.StepUpdatedData)!;
                Execute(connection, transaction,
                    """
                    UPDATE sessions SET phase = COALESCE($phase, phase), percent = $percent, step_text = $text, step = $step, steps = $steps, progress_at = $ts
                    WHERE id = $id
                    """,
                    ("$id", e.SessionId), ("$phase", data.Phase), ("$percent", data.Percent), ("$text", data.Text),
                    ("$step", data.Step), ("$steps", data.Steps), ("$ts", UnixMicros.From(e.Ts)));
                break;
            }
            case EventTypes.SessionRetryScheduled or EventTypes.SessionRetryCancelled or EventTypes.SessionRetryFailed:
                SessionChains.Apply(connection, transaction, e);
                break;
            case EventTypes.AgentSandbox:
                Execute(connection, transaction, "UPDATE sessions SET sandbox = $mode WHERE id = $id",
                    ("$id", e.SessionId), ("$mode", e.Data.Deserialize(OverseerJson.Default.AgentSandboxData)!.Mode));
                break;
            case EventTypes.UsageUpdated:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.UsageUpdatedData)!;
                Execute(connection, transaction,
                    """
                    UPDATE sessions SET input_tokens = $in, output_tokens = $out, cache_read_tokens = $cache, cost_nano_usd = $cost
                    WHERE id = $id
                    """,
                    ("$id", e.SessionId), ("$in", data.Total.InputTokens), ("$out", data.Total.OutputTokens),
                    ("$cache", data.Total.CacheReadTokens), ("$cost", (long)decimal.Round(data.Total.CostUsd * 1_000_000_000m)));
                Execute(connection, transaction,
                    """
                    INSERT INTO usage_daily(day, model, project_id, input_tokens, output_tokens, cache_read_tokens, cost_nano_usd)
                    SELECT $day, $model, project_id, $in, $out, $cache, $cost FROM sessions WHERE id = $id
                    ON CONFLICT(day, model, project_id) DO UPDATE SET
                        input_tokens = input_tokens + excluded.input_tokens,
                        output_tokens = output_tokens + excluded.output_tokens,
                        cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
                        cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd
                    """,
                    ("$id", e.SessionId), ("$day", e.Ts.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                    ("$model", data.Model ?? ""), ("$in", data.InputTokens), ("$out", data.OutputTokens),
                    ("$cache", data.CacheReadTokens), ("$cost", (long)decimal.Round(data.CostUsd * 1_000_000_000m)));
                break;
            }
            case EventTypes.WorkspaceMerged or EventTypes.WorkspaceDiscarded:
                Execute(connection, transaction, "UPDATE sessions SET worktree_state = $state WHERE id = $id",
                    ("$id", e.SessionId), ("$state", e.Type == EventTypes.WorkspaceMerged ? "merged" : "discarded"));
                break;
            case EventTypes.AgentStarted:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.AgentStartedData)!;
                Execute(connection, transaction, "UPDATE sessions SET agent_session_id = COALESCE($agent, agent_session_id), hibernated = 0 WHERE id = $id",
                    ("$id", e.SessionId), ("$agent", data.AgentSessionId));
                break;
            }
            case EventTypes.AgentHibernated:
                Execute(connection, transaction, "UPDATE sessions SET hibernated = 1 WHERE id = $id", ("$id", e.SessionId));
                break;
            case EventTypes.QuestionAsked:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.QuestionAskedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO questions(id, created_seq, session_id, questions, status, created_at)
                    VALUES ($id, $seq, $session, $questions, 'pending', $ts)
                    """,
                    ("$id", data.QuestionId), ("$seq", e.Seq), ("$session", e.SessionId),
                    ("$questions", JsonSerializer.Serialize(data.Questions, OverseerJson.Default.IReadOnlyListQuestionItem)),
                    ("$ts", UnixMicros.From(e.Ts)));
                OpenPending(connection, transaction, e, PendingKind.Question, data.QuestionId, data.Questions.Count > 0 ? data.Questions[0].Question : null);
                break;
            }
            case EventTypes.QuestionAnswered:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.QuestionAnsweredData)!;
                CloseQuestion(connection, transaction, e, data.QuestionId, "answered",
                    JsonSerializer.Serialize(data.Answers, OverseerJson.Default.IReadOnlyDictionaryStringJsonElement));
                break;
            }
            case EventTypes.QuestionCancelled:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.QuestionCancelledData)!;
                CloseQuestion(connection, transaction, e, data.QuestionId, "cancelled", null);
                break;
            }
            case EventTypes.ApprovalRequested:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ApprovalRequestedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO approvals(id, created_seq, session_id, tool_use_id, tool, input, tier, reason, rule, confirm_phrase, status, created_at, expires_at)
                    VALUES ($id, $seq, $session, $toolUse, $tool, $input, $tier, $reason, $rule, $phrase, 'pending', $ts, $expires)
                    """,
                    ("$id", data.ApprovalId), ("$seq", e.Seq), ("$session", e.SessionId), ("$toolUse", data.ToolUseId), ("$tool", data.Tool),
                    ("$input", data.Input.GetRawText()), ("$tier", data.Tier), ("$reason", data.Reason), ("$rule", data.Rule),
                    ("$phrase", data.ConfirmPhrase), ("$ts", UnixMicros.From(e.Ts)), ("$expires", UnixMicros.From(data.ExpiresAt)));
                OpenPending(connection, transaction, e, PendingKind.Approval, data.ApprovalId, data.Tool, data.ExpiresAt);
                break;
            }
            case EventTypes.ApprovalDecided:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ApprovalDecidedData)!;
                Execute(connection, transaction,
                    """
                    UPDATE approvals SET status = $decision, decision = $decision, decided_by = $by, how = $how, decision_reason = $reason, decided_at = $ts
                    WHERE id = $id AND status = 'pending';
                    """,
                    ("$id", data.ApprovalId), ("$decision", data.Decision), ("$by", data.By), ("$how", data.How), ("$reason", data.Reason), ("$ts", UnixMicros.From(e.Ts)));
                if (data.Decision == ApprovalDecisions.Expired)
                {
                    // Its process is gone: the agent hears on its next message that the call never ran.
                    Execute(connection, transaction,
                        """
                        UPDATE sessions SET resume_note = COALESCE(resume_note || char(10), '')
                            || 'Your request to use ' || (SELECT tool FROM approvals WHERE id = $id) || ' was not decided and did not run: ' || $reason
                        WHERE id = $session
                        """,
                        ("$id", data.ApprovalId), ("$session", e.SessionId), ("$reason", data.Reason ?? "it expired."));
                }
                ClosePending(connection, transaction, data.ApprovalId);
                break;
            }
            case EventTypes.PolicyChanged:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.PolicyChangedData)!;
                if (data.Action == "added")
                    Execute(connection, transaction,
                        "INSERT INTO allow_rules(id, created_seq, scope, session_id, project_id, tool, shape, created_by, created_at) VALUES ($id, $seq, $scope, $session, $project, $tool, $shape, $by, $ts)",
                        ("$id", data.RuleId), ("$seq", e.Seq), ("$scope", data.Scope), ("$session", data.SessionId), ("$project", data.ProjectId),
                        ("$tool", data.Tool), ("$shape", data.Shape), ("$by", data.By), ("$ts", UnixMicros.From(e.Ts)));
                else
                    Execute(connection, transaction, "DELETE FROM allow_rules WHERE id = $id", ("$id", data.RuleId));
                break;
            }
            case EventTypes.DependencyRequested:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.DependencyRequestedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO dependencies(id, created_seq, session_id, type, name, description, required, status, created_at)
                    VALUES ($id, $seq, $session, $type, $name, $description, $required, 'pending', $ts)
                    """,
                    ("$id", data.DependencyId), ("$seq", e.Seq), ("$session", e.SessionId), ("$type", data.Type), ("$name", data.Name),
                    ("$description", data.Description), ("$required", data.Required), ("$ts", UnixMicros.From(e.Ts)));
                OpenPending(connection, transaction, e, PendingKind.Dependency, data.DependencyId, data.Name);
                break;
            }
            case EventTypes.DependencyProvided or EventTypes.DependencyCancelled:
            {
                var provided = e.Type == EventTypes.DependencyProvided;
                var id = provided
                    ? e.Data.Deserialize(OverseerJson.Default.DependencyProvidedData)!.DependencyId
                    : e.Data.Deserialize(OverseerJson.Default.DependencyCancelledData)!.DependencyId;
                Execute(connection, transaction,
                    "UPDATE dependencies SET status = $status, provided_at = $ts, provided_by = $by WHERE id = $id AND status = 'pending'",
                    ("$id", id), ("$status", provided ? "provided" : "cancelled"), ("$ts", UnixMicros.From(e.Ts)), ("$by", e.Actor));
                ClosePending(connection, transaction, id);
                break;
            }
            case EventTypes.ReviewRequested:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ReviewRequestedData)!;
                Execute(connection, transaction,
                    """
                    INSERT INTO reviews(id, created_seq, session_id, kind, plan, phase, status, created_at, files, diff)
                    VALUES ($id, $seq, $session, $kind, $plan, $phase, 'pending', $ts, $files, $diff)
                    """,
                    ("$id", data.ReviewId), ("$seq", e.Seq), ("$session", e.SessionId), ("$kind", data.Kind),
                    ("$plan", data.Plan), ("$phase", data.Phase), ("$ts", UnixMicros.From(e.Ts)),
                    ("$files", data.Files is null ? null : JsonSerializer.Serialize(data.Files, OverseerJson.Default.IReadOnlyListChangedFileData)), ("$diff", data.Diff));
                OpenPending(connection, transaction, e, PendingKind.Review, data.ReviewId, data.Kind);
                break;
            }
            case EventTypes.ReviewDecided:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ReviewDecidedData)!;
                CloseReview(connection, transaction, e, data.ReviewId, data.Decision, data.Feedback, data.By);
                break;
            }
            case EventTypes.ReviewCancelled:
            {
                var data = e.Data.Deserialize(OverseerJson.Default.ReviewCancelledData)!;
                CloseReview(connection, transaction, e, data.ReviewId, "cancelled", data.Reason, null);
                break;
            }
            case EventTypes.MessageQueued:
                // Kept until the message that carries it: a host restored after a restart starts its next message with it.
                Execute(connection, transaction,
                    "UPDATE sessions SET resume_note = COALESCE(resume_note || char(10) || char(10), '') || $text WHERE id = $id",
                    ("$id", e.SessionId), ("$text", e.Data.Deserialize(OverseerJson.Default.MessageQueuedData)!.Text));
                break;
            case EventTypes.UserMessage:
                // The agent has been told (the note went into this very message).
                Execute(connection, transaction, "UPDATE sessions SET resume_note = NULL WHERE id = $id AND resume_note IS NOT NULL", ("$id", e.SessionId));
                break;
            default:
                if (e.Type.StartsWith("session.", StringComparison.Ordinal))
                    ApplyStateChange(connection, transaction, e);
                break;
        }
    }

    private static void ApplyStateChange(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e)
    {
        var data = e.Data.Deserialize(OverseerJson.Default.StateChangeData)!;
        var ts = UnixMicros.From(e.Ts);
        var ended = data.To is SessionStatus.Completed or SessionStatus.Failed or SessionStatus.Cancelled;
        // Deleting keeps when the session ended (a draft, never started, ends as it is deleted).
        var deleted = data.To == SessionStatus.Deleted;
        Execute(connection, transaction,
            """
            UPDATE sessions SET
                status = $status,
                reason = $reason,
                started_at = CASE WHEN $started AND started_at IS NULL THEN $ts ELSE started_at END,
                ended_at = CASE WHEN $deleted THEN COALESCE(ended_at, $ts) WHEN $ended THEN $ts ELSE NULL END,
                rate_limited_until = $until,
                interrupted_by = $cause
            WHERE id = $id
            """,
            ("$id", e.SessionId), ("$status", data.To.ToWire()), ("$reason", data.Error ?? data.Reason),
            ("$started", data.To == SessionStatus.Running), ("$ended", ended), ("$deleted", deleted), ("$ts", ts),
            ("$until", data.Until is { } until ? UnixMicros.From(until) : null),
            ("$cause", data.To == SessionStatus.Interrupted ? data.Cause?.ToWire() : null));
    }

    /// <summary>Only the fields the event names change; an empty description or type clears it.</summary>
    private static void ApplyUpdate(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e, SessionUpdatedData data)
    {
        foreach (var field in data.Changed)
        {
            // The column comes from this switch, never from the event's text.
            var (column, value) = field switch
            {
                "title" => ("title", (object?)data.Title),
                "description" => ("description", string.IsNullOrEmpty(data.Description) ? null : data.Description),
                "type" => ("type", string.IsNullOrEmpty(data.Type) ? null : data.Type),
                "priority" => ("priority", data.Priority),
                "prompt" => ("prompt", data.Prompt),
                _ => (null, null),
            };
            if (column is not null && (value is not null || field is "description" or "type"))
                Execute(connection, transaction, $"UPDATE sessions SET {column} = $value WHERE id = $id", ("$id", e.SessionId), ("$value", value));
        }
    }

    private static void CloseQuestion(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e, string questionId, string status, string? answers)
    {
        Execute(connection, transaction,
            "UPDATE questions SET status = $status, answers = $answers, decided_at = $ts WHERE id = $id AND status = 'pending'",
            ("$id", questionId), ("$status", status), ("$answers", answers), ("$ts", UnixMicros.From(e.Ts)));
        ClosePending(connection, transaction, questionId);
    }

    private static void CloseReview(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e, string reviewId, string status, string? feedback, string? by)
    {
        Execute(connection, transaction,
            "UPDATE reviews SET status = $status, feedback = $feedback, decided_by = $by, decided_at = $ts WHERE id = $id AND status = 'pending'",
            ("$id", reviewId), ("$status", status), ("$feedback", feedback), ("$by", by), ("$ts", UnixMicros.From(e.Ts)));
        ClosePending(connection, transaction, reviewId);
    }

    /// <summary>Every kind of item opens here: the one collection the session, the inbox and recovery read.</summary>
    private static void OpenPending(SqliteConnection connection, SqliteTransaction transaction, EventEnvelope e, PendingKind kind, string id, string? detail, DateTimeOffset? dueAt = null) =>
        Execute(connection, transaction,
            "INSERT INTO pending_items(id, created_seq, session_id, kind, detail, due_at) VALUES ($id, $seq, $session, $kind, $detail, $due)",
            ("$id", id), ("$seq", e.Seq), ("$session", e.SessionId), ("$kind", kind.ToWire()), ("$detail", detail),
            ("$due", dueAt is { } due ? UnixMicros.From(due) : null));

    /// <summary>Every kind of item closes here, whatever closed it (answered, decided, provided, cancelled, expired).</summary>
    private static void ClosePending(SqliteConnection connection, SqliteTransaction transaction, string id) =>
        Execute(connection, transaction, "DELETE FROM pending_items WHERE id = $id", ("$id", id));

    /// <summary>One statement in the projection's transaction; shared by every projection of the log.</summary>
    internal static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
