using Overseer.Contracts.Api;

namespace Overseer.Storage;

/// <summary>Who did what: rows projected from the events people cause, and a few that are not events (tokens).</summary>
public interface IAuditLog
{
    /// <summary>Newest first; <see cref="AuditQuery.Cursor"/> continues after the last row of the previous page.</summary>
    Task<Page<AuditEntryDto>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records something a person did that is not an event in the log (a token created or revoked).</summary>
    Task RecordAsync(AuditRecord record, CancellationToken cancellationToken = default);
}

/// <summary>
/// Filters: <paramref name="User"/> is a user id or name; <paramref name="Action"/> an exact action
/// or its first part (<c>approval</c> matches <c>approval.approved</c> and <c>approval.denied</c>).
/// <paramref name="VisibleProjects"/> limits rows to those projects plus the viewer's own rows
/// (<paramref name="ViewerUserId"/>); null shows everything.
/// </summary>
public sealed record AuditQuery(
    string? User = null,
    string? ProjectId = null,
    string? SessionId = null,
    string? Action = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    IReadOnlySet<string>? VisibleProjects = null,
    string? ViewerUserId = null,
    string? Cursor = null,
    int Limit = 100);

public sealed record AuditRecord(DateTimeOffset At, string Action, string By, string? ByUserId, string? TokenId, string? Target, string? Detail);
