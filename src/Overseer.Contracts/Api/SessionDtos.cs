using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

public sealed record CreateSessionRequest(
    string? ProjectId,
    string? Prompt,
    string? Runtime,
    string? Model,
    int? Priority,
    JsonElement? Script);

public sealed record SendMessageRequest(string? Text);

public sealed record UsageDto(long InputTokens, long OutputTokens, decimal CostUsd, long CacheReadTokens = 0);

public sealed record PendingDto(int Approvals, int Questions, int Dependencies, int Reviews);

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
    string? AgentSessionId);
