using System.Text.Json;

namespace Overseer.Contracts.Events;

// The `data` payloads of stored events (DESIGN.md §4). Every runtime emits these same shapes,
// so the dashboard and the CLI render any agent alike.
//
// What a person decides or does names them: `By` (the name shown), and, when a signed-in user
// did it, `ByUserId` and the `TokenId` they used. Events from before users have only `By`.

public sealed record ProjectCreatedData(string ProjectId, string Name, string Path);

public sealed record ProjectDeletedData(string ProjectId);

/// <summary><c>project.updated</c>: a project's settings as they are after the change.</summary>
public sealed record ProjectUpdatedData(string ProjectId, bool OperatorsMayApproveRed);

/// <summary>
/// <c>session.created</c>. <c>TemplateId</c>: the template it was started from; <c>TriggerId</c>
/// and <c>SourceUrl</c>: the webhook trigger that started it and the issue or merge request it came from.
/// </summary>
public sealed record SessionCreatedData(
    string ProjectId,
    string Prompt,
    string Runtime,
    string? Model,
    int Priority,
    JsonElement? Script,
    WorktreeData? Worktree = null,
    string? TemplateId = null,
    Api.UserRefDto? StartedBy = null,
    string? ByUserId = null,
    string? TokenId = null,
    string? ScheduleId = null,
    string? ScheduleRunId = null,
    Api.RetryPolicyDto? Retry = null,
    string? RetryOf = null,
    int? Attempt = null,
    string? FirstAttemptId = null,
    string? Title = null,
    string? Description = null,
    string? Type = null,
    bool? Draft = null,
    decimal? BudgetUsd = null,
    string? TriggerId = null,
    string? SourceUrl = null,
    string? GatePolicy = null);


/// <summary>
/// <c>session.retry_scheduled</c>, on the failed attempt: attempt <paramref name="Attempt"/> of
/// <paramref name="MaxAttempts"/> starts at <paramref name="DueAt"/>, <paramref name="DelaySeconds"/> after the failure was seen.
/// </summary>
public sealed record RetryScheduledData(int Attempt, int MaxAttempts, DateTimeOffset DueAt, double DelaySeconds);

/// <summary><c>session.retry_cancelled</c>: a person called off the attempt that was to come.</summary>
public sealed record RetryCancelledData(int Attempt, string By, string? ByUserId = null, string? TokenId = null, string? Reason = null);

/// <summary><c>session.retry_failed</c>: the attempt that was due could not be started (its project is gone, ...).</summary>
public sealed record RetryFailedData(int Attempt, string Error, string? Reason = null);


/// <summary>
/// <c>session.updated</c>: what a person changed. <paramref name="Changed"/> names the fields
/// (<c>title</c>, <c>description</c>, <c>type</c>, <c>priority</c>, <c>prompt</c>); each holds its new
/// value, and an empty description or type is one that was cleared.
/// </summary>
public sealed record SessionUpdatedData(
    IReadOnlyList<string> Changed,
    string? Title = null,
    string? Description = null,
    string? Type = null,
    int? Priority = null,
    string? Prompt = null,
    string? By = null,
    string? ByUserId = null,
    string? TokenId = null);

/// <summary>
/// <c>phase.started</c>: the agent began a phase. <paramref name="Index"/> counts from 1;
/// <paramref name="Total"/> is how many phases there are, when the agent said.
/// </summary>
public sealed record PhaseStartedData(string Phase, int? Index = null, int? Total = null);

/// <summary>
/// <c>step.updated</c>: how far the agent is in <paramref name="Phase"/>: <paramref name="Percent"/>
/// (0–100), and when it counts steps, step <paramref name="Step"/> of <paramref name="Steps"/>;
/// <paramref name="Text"/> says what it is doing.
/// </summary>
public sealed record StepUpdatedData(string? Phase, int Percent, string? Text = null, int? Step = null, int? Steps = null);

public sealed record WorktreeData(string Path, string Branch, string BaseCommit);

/// <summary><c>workspace.merged</c> / <c>workspace.discarded</c>.</summary>
public sealed record WorkspaceChangedData(string Branch, string? Commit = null, bool? FastForward = null, string? By = null, string? ByUserId = null, string? TokenId = null);

/// <summary>A state change: <c>session.*</c> events other than <c>session.created</c>.</summary>
public sealed record StateChangeData(
    SessionStatus? From,
    SessionStatus To,
    string? Reason = null,
    string? Error = null,
    DateTimeOffset? Until = null,
    InterruptionCause? Cause = null,
    string? By = null,
    string? ByUserId = null,
    string? TokenId = null);

public sealed record UserMessageData(string Text, string By, string? ByUserId = null, string? TokenId = null);

/// <summary><c>message.queued</c>: part of the agent's next message, from an answer a person gave.</summary>
public sealed record MessageQueuedData(string Text, string By, string? ByUserId = null, string? TokenId = null);

// Long agent-produced text (agent text and thinking, tool output, a large tool input, an error)
// is never cut off and lost: the event carries a preview — its head — with Truncated = true, the
// whole text's FullLength in chars and the BlobId under which the whole text is stored once for
// the session (GET /api/sessions/{id}/blobs/{blobId}). Short text has none of the three.

/// <summary>
/// <c>agent.text</c> / <c>agent.thinking</c>; a long text is a preview (see above). Thinking from a
/// runtime that keeps its own conversation (anthropic) carries the provider's <paramref name="Signature"/>,
/// or for <paramref name="Redacted"/> thinking its encrypted data there, so the conversation can be
/// rebuilt from the log and sent back as the provider requires.
/// </summary>
public sealed record AgentTextData(string Text, string? MessageId = null, bool? Truncated = null, long? FullLength = null, string? BlobId = null,
    string? Signature = null, bool? Redacted = null);

/// <summary>
/// A large <paramref name="Input"/> (its JSON past the preview limit) is a JSON string holding the head of
/// that JSON, with <paramref name="Truncated"/>, <paramref name="FullLength"/> and the <paramref name="BlobId"/> of the whole JSON.
/// </summary>
public sealed record ToolCallData(string ToolUseId, string Name, JsonElement Input, string? Tier = null, string? Decision = null,
    bool? Truncated = null, long? FullLength = null, string? BlobId = null);

/// <summary>The safety gate's answer for a tool call (<c>tool.decided</c>).</summary>
public sealed record ToolDecisionData(string ToolUseId, string Name, string Decision, string? Tier = null, string? Reason = null);

/// <summary>A long <paramref name="Output"/> is a preview (see above).</summary>
public sealed record ToolResultData(string ToolUseId, string Output, bool IsError, bool? Truncated = null, long? FullLength = null, string? BlobId = null);

public sealed record QuestionOption(string Label, string? Description = null);

public sealed record QuestionItem(string Question, string? Header, IReadOnlyList<QuestionOption> Options, bool MultiSelect);

public sealed record QuestionAskedData(string QuestionId, IReadOnlyList<QuestionItem> Questions, string? ToolUseId = null);

public sealed record QuestionAnsweredData(string QuestionId, IReadOnlyDictionary<string, JsonElement> Answers, string By, string? ByUserId = null, string? TokenId = null);

public sealed record QuestionCancelledData(string QuestionId, string Reason);

public sealed record UsageTotals(long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd);

public sealed record UsageUpdatedData(
    string? Model,
    long InputTokens,
    long OutputTokens,
    long CacheReadTokens,
    decimal CostUsd,
    UsageTotals Turn,
    UsageTotals Total);

/// <summary><c>agent.error</c> / <c>agent.reported_error</c>; a long <paramref name="Message"/> is a preview (see above).</summary>
public sealed record AgentErrorData(string Message, string? Kind = null, bool? Truncated = null, long? FullLength = null, string? BlobId = null);

public sealed record AgentStartedData(string? AgentSessionId, string? Model, bool Resumed, string? Version = null, IReadOnlyList<string>? Tools = null, int? ProcessId = null);

public sealed record AgentExitedData(int? ExitCode, string? Detail);

/// <summary><c>agent.hibernated</c>: why the idle agent's process was stopped, and by whom (a person, or the system after <c>Sessions:HibernateAfter</c>).</summary>
public sealed record AgentHibernatedData(string Reason, string By, string? ByUserId = null, string? TokenId = null);

/// <summary>A plan (or, later, a finished phase) handed to a person for review.</summary>
public sealed record ReviewRequestedData(string ReviewId, string Kind, string? Plan, int? Phase = null, string? ToolUseId = null,
    IReadOnlyList<ChangedFileData>? Files = null, string? Diff = null);

/// <summary>A file changed during a phase: <c>added</c>, <c>modified</c> or <c>deleted</c>.</summary>
public sealed record ChangedFileData(string Path, string Status);

public sealed record PhaseCompletedData(int Phase, string ReviewId, int FilesChanged);

/// <summary><paramref name="Decision"/> is <c>approved</c> or <c>changes_requested</c>.</summary>
public sealed record ReviewDecidedData(string ReviewId, string Decision, string? Feedback, string By, string? ByUserId = null, string? TokenId = null);

public sealed record ReviewCancelledData(string ReviewId, string Reason);

/// <summary>A tool call held at the safety gate until a person decides.</summary>
public sealed record ApprovalRequestedData(
    string ApprovalId,
    string ToolUseId,
    string Tool,
    JsonElement Input,
    string Tier,
    string Reason,
    string Rule,
    string? ConfirmPhrase,
    DateTimeOffset ExpiresAt);

/// <summary><paramref name="Decision"/>: approved | denied; <paramref name="How"/>: approve | deny | timeout | remember | cancelled.</summary>
public sealed record ApprovalDecidedData(string ApprovalId, string Decision, string By, string How, string? Reason = null, string? Remember = null, string? ByUserId = null, string? TokenId = null);

/// <summary>A scoped allow rule added (remember) or revoked.</summary>
public sealed record PolicyChangedData(string RuleId, string Action, string Scope, string? SessionId, string? ProjectId, string Tool, string Shape, string By, string? ByUserId = null, string? TokenId = null);

/// <summary>The agent needs a value (an API key, a token...) it will find in its environment under <paramref name="Name"/>.</summary>
public sealed record DependencyRequestedData(string DependencyId, string Type, string Name, string? Description, bool Required);

/// <summary><paramref name="Source"/>: <c>value</c> (stored in the vault under the name) or <c>secret</c> (an existing vault secret). Never the value itself.</summary>
public sealed record DependencyProvidedData(string DependencyId, string Name, string Source, string By, string? ByUserId = null, string? TokenId = null);

public sealed record DependencyCancelledData(string DependencyId, string Reason);

/// <summary>
/// <c>agent.sandbox</c>: <paramref name="Mode"/> is <c>bubblewrap</c> or <c>off</c> (unsandboxed);
/// <paramref name="Enforcement"/> says how the limits are held (cgroup1, cgroup2, rlimit).
/// </summary>
public sealed record AgentSandboxData(string Mode, string Network, SandboxLimitsData Limits, string Enforcement, string? Detail = null);

/// <summary>Limits in force; 0 is none.</summary>
public sealed record SandboxLimitsData(long MemoryMb, int Processes, long FileSizeMb, int CpuPercent);

/// <summary><c>agent.limit_reached</c>: <paramref name="Limit"/> is memory, processes or fileSize.</summary>
public sealed record AgentLimitReachedData(string Limit, string Detail);

/// <summary>
/// <c>agent.compacted</c>: the runtime summarised the older part of its conversation to stay within
/// the model's context window. The conversation goes on from <paramref name="Summary"/> plus the last
/// <paramref name="KeptEntries"/> conversation entries (messages, tool calls and results) before this event.
/// </summary>
public sealed record AgentCompactedData(string Summary, int KeptEntries, long TokensBefore, int ContextWindow);

/// <summary>
/// <c>agent.continued</c>: the model stopped at its output limit (<paramref name="Reason"/> <c>max_tokens</c>)
/// and the runtime asked it, with <paramref name="Prompt"/>, to go on where it stopped.
/// </summary>
public sealed record AgentContinuedData(string Reason, string Prompt);

/// <summary>
/// <c>runtime.routed</c>: the router sent a turn to <paramref name="Target"/> (a route of its
/// settings), which is <paramref name="Model"/> on the runtime <paramref name="Runtime"/>;
/// <paramref name="Reason"/> says which rule, override or preference chose it.
/// </summary>
public sealed record RuntimeRoutedData(string Target, string Runtime, string Model, string Reason);

/// <summary>
/// <c>runtime.fallback</c>: the route <paramref name="From"/> failed with <paramref name="Reason"/>
/// (rate-limited, a 5xx, a timeout, unreachable), and the same conversation goes on on <paramref name="To"/>.
/// </summary>
public sealed record RuntimeFallbackData(string From, string To, string Reason);
