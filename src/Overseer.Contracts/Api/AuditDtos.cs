namespace Overseer.Contracts.Api;

/// <summary>
/// One thing a person did (<c>GET /api/audit</c>): <paramref name="Action"/> is the event type, with
/// the decision for approvals and reviews (<c>approval.approved</c>, <c>review.changes_requested</c>);
/// <paramref name="Target"/> the item it was about (an approval, question, rule or token id).
/// </summary>
public sealed record AuditEntryDto(
    long Id,
    DateTimeOffset At,
    string Action,
    string By,
    string? ByUserId,
    string? TokenId,
    string? ProjectId,
    string? SessionId,
    string? Target,
    string? Detail,
    long? Seq);
