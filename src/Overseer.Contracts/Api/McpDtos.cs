namespace Overseer.Contracts.Api;

/// <summary>
/// One session as Overseer's MCP tool <c>get_session</c> shows it: the session, and every item it
/// waits on a person for (pending approvals, questions, dependency requests and reviews) with the
/// ids the decision tools take.
/// </summary>
public sealed record McpSessionDetailDto(
    SessionDto Session,
    IReadOnlyList<ApprovalDto> PendingApprovals,
    IReadOnlyList<QuestionDto> PendingQuestions,
    IReadOnlyList<DependencyDto> PendingDependencies,
    IReadOnlyList<ReviewDto> PendingReviews);
