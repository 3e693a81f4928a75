using Overseer.Contracts.Api;

namespace Overseer.Storage;

/// <summary>
/// The retries of failed sessions, as the log's <c>session.retry_*</c> events left them: each
/// failed attempt has at most one, with the time it is due.
/// </summary>
public interface IRetryStore
{
    /// <summary>Failed sessions with attempts left whose retry is not planned yet, oldest first.</summary>
    Task<IReadOnlyList<RetryCandidate>> UnplannedAsync(CancellationToken cancellationToken = default);

    /// <summary>Retries scheduled and not yet started, soonest first.</summary>
    Task<IReadOnlyList<RetryRow>> ScheduledAsync(CancellationToken cancellationToken = default);

    /// <summary>The retry of a failed attempt, if one was planned.</summary>
    Task<RetryRow?> FindAsync(string failedSessionId, CancellationToken cancellationToken = default);
}

/// <summary>A failed attempt that will be tried again: its place in the chain and its policy.</summary>
public sealed record RetryCandidate(string SessionId, string FirstAttemptId, int Attempt, RetryPolicyDto Policy);

/// <summary>A planned retry: the attempt it starts, when, and what came of it.</summary>
public sealed record RetryRow(string FailedSessionId, string FirstAttemptId, int Attempt, DateTimeOffset DueAt, string Status, string? RetrySessionId, string? Reason);
