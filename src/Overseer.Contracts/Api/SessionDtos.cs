using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

public sealed record CreateSessionRequest(
    string? ProjectId,
    string? Prompt,
    string? Runtime,
    string? Model,
    int? Priority,
    JsonElement? Script,
    string? Isolation = null);

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
    string? TriggerId = null,
    string? SourceUrl = null);

/// <summary>A person as events and sessions name them: their id and their name at the time.</summary>
public sealed record UserRefDto(string Id, string Name);

/// <summary>An isolated session's git worktree; <c>state</c> is active, merged or discarded.</summary>
public sealed record WorktreeDto(string Path, string Branch, string BaseCommit, string State);

public sealed record MergeResultDto(string Branch, string Commit, bool FastForward);
