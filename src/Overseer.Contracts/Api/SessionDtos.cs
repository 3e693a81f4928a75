using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

/// <summary>
/// Starts a session, or with <c>draft</c> stores it to edit and start later. <c>title</c>
/// defaults to the prompt's first line; <c>type</c> is one of <see cref="SessionTasks.Types"/>.
/// <c>budgetUsd</c> caps what the session may spend (a session budget); it pauses when that is spent.
/// </summary>
public sealed record CreateSessionRequest(
    string? ProjectId,
    string? Prompt,
    string? Runtime,
    string? Model,
    int? Priority,
    JsonElement? Script,
    string? Isolation = null,
    RetryPolicyDto? Retry = null,
    string? Title = null,
    string? Description = null,
    string? Type = null,
    bool? Draft = null,
    decimal? BudgetUsd = null);

/// <summary>
/// <c>PATCH /api/sessions/{id}</c>: absent fields stay as they are. An empty <c>description</c> or
/// <c>type</c> clears it. <c>prompt</c> changes only while the session is a draft; <c>budgetUsd</c> sets the session's budget. A field not
/// listed here is refused (400 naming it) rather than ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateSessionRequest(
    string? Title = null,
    string? Description = null,
    string? Type = null,
    int? Priority = null,
    string? Prompt = null,
    decimal? BudgetUsd = null);

/// <summary>
/// Where the agent says it is (seed 003's phases and steps): the current phase, its number and how
/// many there are, the step and how far through the phase it is in percent.
/// </summary>
public sealed record ProgressDto(
    string? Phase,
    int? PhaseIndex,
    int? PhaseTotal,
    int? Percent,
    string? Text,
    int? Step,
    int? Steps,
    DateTimeOffset UpdatedAt);

public sealed record SendMessageRequest(string? Text);

public sealed record UsageDto(long InputTokens, long OutputTokens, decimal CostUsd, long CacheReadTokens = 0);

public sealed record PendingDto(int Approvals, int Questions, int Dependencies, int Reviews);

/// <summary>
/// A session. In lists <see cref="Prompt"/> is a preview of at most
/// <see cref="ListLimits.PromptPreviewChars"/> characters, with <see cref="PromptTruncated"/> and
/// <see cref="PromptLength"/> saying what was cut; both are absent where the prompt is whole.
/// </summary>
public sealed record SessionDto(
    string Id,
    string ProjectId,
    string Prompt,
    string Runtime,
    string? Model,
    SessionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    UsageDto Usage,
    PendingDto Pending,
    int Priority,
    string? Reason,
    DateTimeOffset? RateLimitedUntil,
    string? AgentSessionId,
    WorktreeDto? Worktree = null,
    string? Sandbox = null,
    bool? PromptTruncated = null,
    int? PromptLength = null,
    bool Hibernated = false,
    InterruptionCause? InterruptedBy = null,
    string? TemplateId = null,
    UserRefDto? StartedBy = null,
    string? ScheduleId = null,
    SessionRetryDto? Retry = null,
    string? Title = null,
    string? Description = null,
    string? Type = null,
    ProgressDto? Progress = null,

    string? TriggerId = null,
    string? SourceUrl = null);

/// <summary>A person as events and sessions name them: their id and their name at the time.</summary>
public sealed record UserRefDto(string Id, string Name);

/// <summary>An isolated session's git worktree; <c>state</c> is active, merged or discarded.</summary>
public sealed record WorktreeDto(string Path, string Branch, string BaseCommit, string State);

public sealed record MergeResultDto(string Branch, string Commit, bool FastForward);
