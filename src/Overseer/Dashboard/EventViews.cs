using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;

namespace Overseer.Dashboard;

/// <summary>An event's data as the record the transcript draws it from (null for types drawn from the raw JSON).</summary>
public static class EventViews
{
    /// <exception cref="JsonException">The data is not in the shape its type promises.</exception>
    public static object? Parse(EventEnvelope e) => e.Type switch
    {
        EventTypes.UserMessage => Required(e, e.Data.Deserialize(OverseerJson.Default.UserMessageData)),
        EventTypes.AgentText or EventTypes.AgentThinking => Required(e, e.Data.Deserialize(OverseerJson.Default.AgentTextData)),
        EventTypes.ToolCall => Required(e, e.Data.Deserialize(OverseerJson.Default.ToolCallData)),
        EventTypes.ApprovalRequested => Required(e, e.Data.Deserialize(OverseerJson.Default.ApprovalRequestedData)),
        EventTypes.ApprovalDecided => Required(e, e.Data.Deserialize(OverseerJson.Default.ApprovalDecidedData)),
        EventTypes.QuestionAsked => Required(e, e.Data.Deserialize(OverseerJson.Default.QuestionAskedData)),
        EventTypes.QuestionAnswered => Required(e, e.Data.Deserialize(OverseerJson.Default.QuestionAnsweredData)),
        EventTypes.DependencyRequested => Required(e, e.Data.Deserialize(OverseerJson.Default.DependencyRequestedData)),
        EventTypes.DependencyProvided => Required(e, e.Data.Deserialize(OverseerJson.Default.DependencyProvidedData)),
        EventTypes.PhaseCompleted => Required(e, e.Data.Deserialize(OverseerJson.Default.PhaseCompletedData)),
        EventTypes.ReviewRequested => Required(e, e.Data.Deserialize(OverseerJson.Default.ReviewRequestedData)),
        EventTypes.ReviewDecided => Required(e, e.Data.Deserialize(OverseerJson.Default.ReviewDecidedData)),
        EventTypes.AgentStarted => Required(e, e.Data.Deserialize(OverseerJson.Default.AgentStartedData)),
        EventTypes.ToolResult => Required(e, e.Data.Deserialize(OverseerJson.Default.ToolResultData)),
        EventTypes.AgentSandbox => Required(e, e.Data.Deserialize(OverseerJson.Default.AgentSandboxData)),
        EventTypes.AgentLimitReached => Required(e, e.Data.Deserialize(OverseerJson.Default.AgentLimitReachedData)),
        EventTypes.SessionRetryScheduled => Required(e, e.Data.Deserialize(OverseerJson.Default.RetryScheduledData)),
        EventTypes.SessionRetryCancelled => Required(e, e.Data.Deserialize(OverseerJson.Default.RetryCancelledData)),
        EventTypes.SessionRetryFailed => Required(e, e.Data.Deserialize(OverseerJson.Default.RetryFailedData)),
        EventTypes.AgentCompacted => Required(e, e.Data.Deserialize(OverseerJson.Default.AgentCompactedData)),
        EventTypes.RuntimeRouted => Required(e, e.Data.Deserialize(OverseerJson.Default.RuntimeRoutedData)),
        EventTypes.RuntimeFallback => Required(e, e.Data.Deserialize(OverseerJson.Default.RuntimeFallbackData)),
        EventTypes.PhaseStarted => Required(e, e.Data.Deserialize(OverseerJson.Default.PhaseStartedData)),
        EventTypes.StepUpdated => Required(e, e.Data.Deserialize(OverseerJson.Default.StepUpdatedData)),
        EventTypes.SessionUpdated => Required(e, e.Data.Deserialize(OverseerJson.Default.SessionUpdatedData)),
        EventTypes.BudgetWarning or EventTypes.BudgetExceeded => Required(e, e.Data.Deserialize(OverseerJson.Default.BudgetReachedData)),
        EventTypes.BudgetOverrunApproved => Required(e, e.Data.Deserialize(OverseerJson.Default.BudgetOverrunApprovedData)),
        _ => null,
    };

    private static T Required<T>(EventEnvelope e, T? value) where T : class =>
        value ?? throw new JsonException($"{e.Type} has no data.");
}
