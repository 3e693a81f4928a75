namespace Overseer.Core.Sessions;

/// <summary>
/// What a new session is linked to: the schedule (and run) that started it, and, for a retry, the
/// failed attempt it follows, its attempt number and the chain's first attempt.
/// </summary>
public sealed record SessionLinks(
    string? ScheduleId = null,
    string? ScheduleRunId = null,
    string? RetryOf = null,
    int? Attempt = null,
    string? FirstAttemptId = null);
