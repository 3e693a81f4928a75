using Overseer.Contracts.Events;

namespace Overseer.Storage.Notifications;

/// <summary>What a notification is about; users choose per channel which of these reach them.</summary>
public static class NotificationKinds
{
    public const string Approval = "approval";
    public const string Question = "question";
    public const string Review = "review";
    public const string Dependency = "dependency";
    public const string SessionFailed = "session_failed";
    public const string SessionCompleted = "session_completed";

    /// <summary>A rate limit or resource limit stopped the session.</summary>
    public const string LimitReached = "limit_reached";

    /// <summary>80% of a budget is spent, or all of it (the session paused).</summary>
    public const string Budget = "budget";

    /// <summary>Raised by monitoring (thresholds on hosts and services).</summary>
    public const string Alert = "alert";

    public static readonly IReadOnlyList<string> All = [Approval, Question, Review, Dependency, SessionFailed, SessionCompleted, LimitReached, Budget, Alert];

    /// <summary>Whether an event of this type leaves a row in the notification outbox (the dispatcher is woken for these only).</summary>
    public static bool Caused(string eventType) => eventType is EventTypes.ApprovalRequested or EventTypes.QuestionAsked or EventTypes.ReviewRequested
        or EventTypes.DependencyRequested or EventTypes.SessionFailed or EventTypes.SessionCompleted
        or EventTypes.SessionRateLimited or EventTypes.AgentLimitReached or EventTypes.BudgetWarning or EventTypes.BudgetExceeded
        or Contracts.Monitoring.MonitoringEvents.AlertRaised or Contracts.Monitoring.MonitoringEvents.AlertResolved;

    /// <summary>Kinds whose item waits for a decision that can be made from the notification.</summary>
    public static bool IsPending(string kind) => kind is Approval or Question or Review or Dependency;
}
