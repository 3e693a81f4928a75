using Overseer.Contracts.Api;

namespace Overseer.Contracts.Cli;

/// <summary><c>overseer pending --json</c>: everything waiting on a person, across sessions.</summary>
public sealed record PendingItems(
    IReadOnlyList<ApprovalDto> Approvals,
    IReadOnlyList<QuestionDto> Questions,
    IReadOnlyList<DependencyDto> Dependencies,
    IReadOnlyList<ReviewDto> Reviews);
