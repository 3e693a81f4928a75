namespace Overseer.Core.Sessions;

/// <summary>
/// What a new session is linked to: the schedule (and run) that started it, and, for a retry, the
/// failed attempt it follows, its attempt number and the chain's first attempt; and the gate
/// policy it runs under when not the server's (a runbook's <c>read-only</c>).
/// </summary>
public sealed record SessionLinks(
    string? ScheduleId = null,
    string? ScheduleRunId = null,
    string? RetryOf = null,
    int? Attempt = null,
    string? FirstAttemptId = null,
    string? GatePolicy = null);
