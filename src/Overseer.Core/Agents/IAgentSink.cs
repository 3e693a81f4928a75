using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Core.Agents;

/// <summary>How an agent reports to its session. Calls are queued on the session's actor in order.</summary>
public interface IAgentSink
{
    ValueTask EmitAsync(AgentEvent agentEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Several events at once, in order, as one call on the actor and (where they are plain
    /// output) one append: what an agent wrote between two reads of its pipe. The default hands
    /// them on one by one.
    /// </summary>
    async ValueTask EmitBatchAsync(IReadOnlyList<AgentEvent> agentEvents, CancellationToken cancellationToken)
    {
        foreach (var agentEvent in agentEvents)
            await EmitAsync(agentEvent, cancellationToken);
    }

    /// <summary>Asks the safety gate whether a tool call may run; may wait for a person.</summary>
    Task<ToolDecision> RequestToolAsync(ToolRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the user; completes with their answers (question text → label(s) or free text).</summary>
    Task<IReadOnlyDictionary<string, JsonElement>> AskAsync(IReadOnlyList<QuestionItem> questions, string? toolUseId, CancellationToken cancellationToken);

    /// <summary>Hands a plan (or a finished phase) to a person; completes with their decision.</summary>
    Task<ReviewDecision> RequestReviewAsync(ReviewRequest request, CancellationToken cancellationToken);
}

public sealed record ReviewRequest(string Kind, string? Plan, int? Phase = null, string? ToolUseId = null);

public sealed record ReviewDecision(bool Approved, string? Feedback);

public sealed record ToolRequest(string ToolUseId, string Name, JsonElement Input);

/// <summary>
/// The gate's answer. <paramref name="NeedsApproval"/>: a person must decide (the session waits);
/// <paramref name="ConfirmPhrase"/>: what they must type to approve (RED).
/// </summary>
public sealed record ToolDecision(bool Allowed, string? Reason = null, string? Tier = null, string? Rule = null, bool NeedsApproval = false, string? ConfirmPhrase = null);
