using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Storage;

/// <summary>Queries over the projections the store keeps in step with the log.</summary>
public interface IReadModel
{
    Task<ProjectDto?> GetProjectAsync(string id, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<ProjectDto>> ListProjectsAsync(CancellationToken cancellationToken = default);

    /// <summary>A session, or null when there is none or it was deleted.</summary>
    Task<SessionDto?> GetSessionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A deleted session as it was when deleted (for those who may still read its log), or null.</summary>
    Task<SessionDto?> GetDeletedSessionAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Sessions newest first, never deleted ones.</summary>
    Task<Page<SessionDto>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken = default);
    Task<int> CountLiveSessionsAsync(string projectId, CancellationToken cancellationToken = default);

    /// <summary>Every attempt of the retry chain that <paramref name="firstAttemptId"/> began, first attempt first.</summary>
    Task<IReadOnlyList<AttemptDto>> ListAttemptsAsync(string firstAttemptId, CancellationToken cancellationToken = default);

    /// <summary>A session's open approvals, questions, dependencies and reviews, oldest first.</summary>
    Task<IReadOnlyList<PendingItemRow>> ListPendingAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Every open item of every session (of <paramref name="projects"/> when given): the inbox's count, in one query.</summary>
    Task<int> CountPendingAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default);

    /// <summary>What the agent must be told with its next message (approvals that expired with their process), or null.</summary>
    Task<string?> GetResumeNoteAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<QuestionDto?> GetQuestionAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<QuestionDto>> ListQuestionsAsync(ItemQuery query, CancellationToken cancellationToken = default);

    Task<ReviewDto?> GetReviewAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<ReviewDto>> ListReviewsAsync(ItemQuery query, CancellationToken cancellationToken = default);

    Task<ApprovalDto?> GetApprovalAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<ApprovalDto>> ListApprovalsAsync(ItemQuery query, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<AllowRuleDto>> ListAllowRulesAsync(CancellationToken cancellationToken = default);

    Task<DependencyDto?> GetDependencyAsync(string id, CancellationToken cancellationToken = default);
    Task<Page<DependencyDto>> ListDependenciesAsync(ItemQuery query, CancellationToken cancellationToken = default);

    /// <summary>Totals over every session, or over the sessions of <paramref name="projects"/> when given.</summary>
    Task<UsageStats> GetUsageStatsAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default);

    /// <summary>Tokens and cost summed by day, model, project or session, largest key first for days.</summary>
    Task<IReadOnlyList<UsageRow>> GetUsageAsync(UsageGrouping groupBy, IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// One open item. <paramref name="Detail"/> is what the session needs to go on without the process
/// that asked: the question, the review's kind (plan, phase), the dependency's name, the tool.
/// <paramref name="DueAt"/> is its timer's due time, if it has one.
/// </summary>
public sealed record PendingItemRow(string Id, string SessionId, PendingKind Kind, string? Detail, DateTimeOffset? DueAt);

public enum UsageGrouping { Day, Model, Project, Session }

public sealed record UsageRow(string Key, long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd);

/// <summary>
/// A page of approvals, questions, reviews or dependencies: by status and session, newest first.
/// <paramref name="Projects"/>, when set, keeps only items of sessions in those projects (the caller's visible ones).
/// </summary>
public sealed record ItemQuery(string? Status = null, string? SessionId = null, string? Cursor = null, int Limit = 100, IReadOnlyCollection<string>? Projects = null);

/// <summary>Totals over every session: by status, and tokens and cost.</summary>
public sealed record UsageStats(IReadOnlyDictionary<string, int> SessionsByStatus, long InputTokens, long OutputTokens, long CacheReadTokens, decimal CostUsd);

public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <param name="PromptPreview">When set, each prompt is cut to this many characters in the query itself (a list must not load every prompt whole).</param>
/// <param name="Projects">When set, only sessions of these projects (the caller's visible ones; empty means none).</param>
/// <param name="Type">When set, only sessions of this type (feature, bugfix, ...).</param>
public sealed record SessionQuery(
    IReadOnlyCollection<SessionStatus>? Statuses = null,
    string? ProjectId = null,
    string? Cursor = null,
    int Limit = 100,
    int? PromptPreview = null,
    IReadOnlyCollection<string>? Projects = null,
    string? Type = null);
