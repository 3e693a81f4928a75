using Overseer.Contracts.Api;

namespace Overseer.Contracts.Cli;

/// <summary><c>overseer show --json</c>: a session with the items it is waiting on.</summary>
public sealed record SessionDetails(
    SessionDto Session,
    ProjectDto? Project,
    IReadOnlyList<ApprovalDto> Approvals,
    IReadOnlyList<QuestionDto> Questions,
    IReadOnlyList<DependencyDto> Dependencies,
    IReadOnlyList<ReviewDto> Reviews);
