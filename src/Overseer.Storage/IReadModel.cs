using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Storage;

/// <summary>Queries over the projections the store keeps in step with the log.</summary>
public interface IReadModel
{
    Task<ProjectDto?> GetProjectAsync(string id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(CancellationToken cancellationToken = default);

    Task<SessionDto?> GetSessionAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<SessionDto>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default);
    Task<int> CountLiveSessionsAsync(string projectId, CancellationToken cancellationToken = default);

    Task<QuestionDto?> GetQuestionAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<QuestionDto>> ListQuestionsAsync(QuestionQuery query, CancellationToken cancellationToken = default);

    Task<ReviewDto?> GetReviewAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<ReviewDto>> ListReviewsAsync(ReviewQuery query, CancellationToken cancellationToken = default);

    Task<ApprovalDto?> GetApprovalAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<ApprovalDto>> ListApprovalsAsync(ReviewQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<AllowRuleDto>> ListAllowRulesAsync(CancellationToken cancellationToken = default);

    Task<DependencyDto?> GetDependencyAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<DependencyDto>> ListDependenciesAsync(ReviewQuery query, CancellationToken cancellationToken = default);

    Task<UsageStats> GetUsageStatsAsync(CancellationToken cancellationToken = default);
}

public sealed record ReviewQuery(string? Status = null, string? SessionId = null, string? Cursor = null, int Limit = 100);

/// <summary>Totals over every session: by status, and tokens and cost.</summary>
public sealed record UsageStats(IReadOnlyDictionary<string, int> SessionsByStatus, long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd);

public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

public sealed record SessionQuery(
    IReadOnlyCollection<SessionStatus>? Statuses = null,
    string? ProjectId = null,
    string? Cursor = null,
    int Limit = 100);

public sealed record QuestionQuery(string? Status = null, string? SessionId = null, string? Cursor = null, int Limit = 100);
