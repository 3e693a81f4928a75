using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

/// <summary>
/// How a session that fails is tried again: up to <c>maxAttempts</c> sessions in all (the first
/// included), each new attempt <c>initialDelaySeconds × multiplier^(n−1)</c> after attempt n
/// failed, at most <c>maxDelaySeconds</c>. A session a person cancels is not retried.
/// </summary>
public sealed record RetryPolicyDto(int MaxAttempts, int InitialDelaySeconds = 60, int MaxDelaySeconds = 3600, double Multiplier = 2);

/// <summary>
/// Where a session stands in its chain of attempts: its policy, its attempt number, the first
/// attempt (the chain's id), the one before and the one after it, and, when it failed and will be
/// tried again, when. <c>retryStatus</c> is the next attempt's: scheduled, started, cancelled
/// (by a person) or failed (it could not be started). <c>attempts</c> lists the whole chain,
/// on <c>GET /api/sessions/{id}</c> only.
/// </summary>
public sealed record SessionRetryDto(
    RetryPolicyDto Policy,
    int Attempt,
    string FirstAttemptId,
    string? PreviousAttemptId = null,
    string? NextAttemptId = null,
    DateTimeOffset? NextAttemptAt = null,
    string? RetryStatus = null,
    IReadOnlyList<AttemptDto>? Attempts = null);

/// <summary>One attempt of a chain, as the chain lists it.</summary>
public sealed record AttemptDto(string Id, int Attempt, SessionStatus Status, decimal CostUsd, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? Reason);
