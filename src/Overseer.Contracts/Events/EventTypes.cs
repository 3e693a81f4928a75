namespace Overseer.Contracts.Events;

/// <summary>Stable, dotted event type names (DESIGN.md §4). Clients switch on these strings.</summary>
public static class EventTypes
{
    public const string ProjectCreated = "project.created";
    public const string ProjectDeleted = "project.deleted";
    public const string ProjectUpdated = "project.updated";

    public const string SessionCreated = "session.created";
    public const string SessionQueued = "session.queued";
    public const string SessionStarting = "session.starting";
    public const string SessionStarted = "session.started";
    public const string SessionWaiting = "session.waiting";
    public const string SessionRunning = "session.running";
    public const string SessionIdle = "session.idle";
    public const string SessionPaused = "session.paused";
    public const string SessionResumed = "session.resumed";
    public const string SessionRateLimited = "session.rate_limited";
    public const string SessionInterrupted = "session.interrupted";
    public const string SessionCompleted = "session.completed";
    public const string SessionFailed = "session.failed";
    public const string SessionCancelled = "session.cancelled";
    public const string SessionDeleted = "session.deleted";

    /// <summary>A person changed a session's title, description, type, priority or (while a draft) prompt; not a state change.</summary>
    public const string SessionUpdated = "session.updated";

    // A failed session's retry (its data is not a state change; see IsStateChange).
    public const string SessionRetryScheduled = "session.retry_scheduled";
    public const string SessionRetryCancelled = "session.retry_cancelled";
    public const string SessionRetryFailed = "session.retry_failed";

    public const string WorkspaceMerged = "workspace.merged";
    public const string WorkspaceDiscarded = "workspace.discarded";

    public const string UserMessage = "user.message";

    /// <summary>
    /// An answer the agent will read in its next message, given while other items are still open:
    /// kept in the store so a restart before that message loses none of it.
    /// </summary>
    public const string MessageQueued = "message.queued";
    public const string AgentText = "agent.text";
    public const string AgentThinking = "agent.thinking";
    public const string ToolCall = "tool.call";
    public const string ToolDecided = "tool.decided";
    public const string ToolResult = "tool.result";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string PolicyChanged = "policy.changed";
    public const string QuestionAsked = "question.asked";
    public const string QuestionAnswered = "question.answered";
    public const string QuestionCancelled = "question.cancelled";
    public const string DependencyRequested = "dependency.requested";
    public const string DependencyProvided = "dependency.provided";
    public const string DependencyCancelled = "dependency.cancelled";
    public const string PhaseCompleted = "phase.completed";

    /// <summary>The agent began a phase of its work (seed 003's progress): its name, number and how many there are.</summary>
    public const string PhaseStarted = "phase.started";

    /// <summary>How far the agent is in the current phase: a percentage, and the step it is on.</summary>
    public const string StepUpdated = "step.updated";
    public const string ReviewRequested = "review.requested";
    public const string ReviewDecided = "review.decided";
    public const string ReviewCancelled = "review.cancelled";
    public const string UsageUpdated = "usage.updated";

    /// <summary>80% of a budget that covers the session is spent (once per budget, period and limit).</summary>
    public const string BudgetWarning = "budget.warning";

    /// <summary>A budget that covers the session is spent: the session pauses (<c>reason: budget</c>), or a queued one waits.</summary>
    public const string BudgetExceeded = "budget.exceeded";

    /// <summary>A person let the session spend past its budgets, up to an amount or for one more turn.</summary>
    public const string BudgetOverrunApproved = "budget.overrun_approved";
    public const string AgentStarted = "agent.started";
    public const string AgentRetry = "agent.retry";
    public const string AgentStderr = "agent.stderr";
    public const string AgentExited = "agent.exited";

    /// <summary>The agent's process was stopped while it had nothing to do; the conversation is kept and the next message resumes it.</summary>
    public const string AgentHibernated = "agent.hibernated";
    public const string AgentRaw = "agent.raw";
    public const string AgentError = "agent.error";
    public const string AgentReportedError = "agent.reported_error";

    /// <summary>How an agent process was walled in: sandbox, network and resource limits.</summary>
    public const string AgentSandbox = "agent.sandbox";

    /// <summary>A runtime of Overseer's own summarised the older part of its conversation (context compaction).</summary>
    public const string AgentCompacted = "agent.compacted";

    /// <summary>A runtime of Overseer's own asked the model to go on after it stopped at its output limit.</summary>
    public const string AgentContinued = "agent.continued";

    /// <summary>The router runtime chose where a turn goes (a route: a runtime and a model), and why.</summary>
    public const string RuntimeRouted = "runtime.routed";

    /// <summary>The router runtime's chosen route failed (429, 5xx, a timeout, a server that is down): the turn goes on on the next one.</summary>
    public const string RuntimeFallback = "runtime.fallback";

    /// <summary>The agent hit one of its sandbox's resource limits.</summary>
    public const string AgentLimitReached = "agent.limit_reached";

    /// <summary>Sent only on live streams, never stored: the subscriber fell behind and re-reads from the store.</summary>
    public const string StreamBehind = "stream.behind";

    /// <summary>Whether the event moves its session to another state: every <c>session.*</c> but its creation, its edits and the retry bookkeeping.</summary>
    public static bool IsStateChange(string type) =>
        type.StartsWith("session.", StringComparison.Ordinal) && type is not (SessionCreated or SessionUpdated or SessionRetryScheduled or SessionRetryCancelled or SessionRetryFailed);

    /// <summary>The retry bookkeeping a failed session's log carries.</summary>
    public static bool IsRetry(string type) => type is SessionRetryScheduled or SessionRetryCancelled or SessionRetryFailed;
}
