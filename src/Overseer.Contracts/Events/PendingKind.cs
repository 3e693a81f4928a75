using System.Text.Json;

namespace Overseer.Contracts.Events;

/// <summary>
/// What a session can wait on a person for. One concept from the actor to the inbox: the store
/// keeps every open item in one collection, the dashboard and the CLI count them with one query.
/// </summary>
public enum PendingKind
{
    /// <summary>A tool call held at the safety gate. Only ever in a turn: it needs the process that asked.</summary>
    Approval,

    /// <summary>A question to the user (the agent's tool, or seed 003's text block).</summary>
    Question,

    /// <summary>A secret or value the agent needs (seed 003's dependency request).</summary>
    Dependency,

    /// <summary>A plan or a finished phase awaiting approve or request-changes.</summary>
    Review,
}

/// <summary>Which pending item an event opens or closes.</summary>
/// <param name="Opened">True for the event that opens it; false for every event that closes it.</param>
public readonly record struct PendingItemChange(PendingKind Kind, string Id, bool Opened)
{
    /// <summary>The item an event of <paramref name="type"/> is about, or null for any other event.</summary>
    public static PendingItemChange? Of(string type, JsonElement data) => type switch
    {
        EventTypes.ApprovalRequested => new(PendingKind.Approval, IdOf(data, "approvalId"), true),
        EventTypes.ApprovalDecided => new(PendingKind.Approval, IdOf(data, "approvalId"), false),
        EventTypes.QuestionAsked => new(PendingKind.Question, IdOf(data, "questionId"), true),
        EventTypes.QuestionAnswered or EventTypes.QuestionCancelled => new(PendingKind.Question, IdOf(data, "questionId"), false),
        EventTypes.DependencyRequested => new(PendingKind.Dependency, IdOf(data, "dependencyId"), true),
        EventTypes.DependencyProvided or EventTypes.DependencyCancelled => new(PendingKind.Dependency, IdOf(data, "dependencyId"), false),
        EventTypes.ReviewRequested => new(PendingKind.Review, IdOf(data, "reviewId"), true),
        EventTypes.ReviewDecided or EventTypes.ReviewCancelled => new(PendingKind.Review, IdOf(data, "reviewId"), false),
        _ => null,
    };

    private static string IdOf(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
}

public static class PendingKindNames
{
    public static string ToWire(this PendingKind kind) => kind switch
    {
        PendingKind.Approval => "approval",
        PendingKind.Question => "question",
        PendingKind.Dependency => "dependency",
        _ => "review",
    };

    public static bool TryParse(string? value, out PendingKind kind)
    {
        (var ok, kind) = value switch
        {
            "approval" => (true, PendingKind.Approval),
            "question" => (true, PendingKind.Question),
            "dependency" => (true, PendingKind.Dependency),
            "review" => (true, PendingKind.Review),
            _ => (false, PendingKind.Approval),
        };
        return ok;
    }
}

/// <summary>The <c>decision</c> of an <c>approval.decided</c> event.</summary>
public static class ApprovalDecisions
{
    public const string Approved = "approved";
    public const string Denied = "denied";

    /// <summary>Nobody can decide it any more: the process that asked is gone (a restart). The call never ran.</summary>
    public const string Expired = "expired";
}
