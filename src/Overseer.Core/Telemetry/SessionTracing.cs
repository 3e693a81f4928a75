using System.Diagnostics;
using Overseer.Storage.Telemetry;

namespace Overseer.Core.Telemetry;

/// <summary>
/// The spans of a session's work: <c>agent.turn</c> from the message that starts a turn to the
/// agent's end of it, <c>tool.call</c> from the gate's question to the tool's result (or its
/// denial), with an <c>approval.wait</c> child while a person decides. With no listener none is created.
/// </summary>
public static class SessionTracing
{
    public const string Turn = "agent.turn";
    public const string ToolCall = "tool.call";
    public const string ApprovalWait = "approval.wait";
    public const string ModelCall = "model.call";

    /// <summary>A turn is a trace of its own; the request that started it (if any) is linked, not its parent.</summary>
    public static Activity? StartTurn(string sessionId, string runtime, string? model)
    {
        if (!OverseerTelemetry.Source.HasListeners())
            return null;
        var cause = Activity.Current;
        Activity.Current = null;
        try
        {
            ActivityLink[]? links = cause is null ? null : [new ActivityLink(cause.Context)];
            var turn = OverseerTelemetry.Source.StartActivity(Turn, ActivityKind.Internal, default(ActivityContext), links: links);
            turn.Tag("overseer.session.id", sessionId);
            turn.Tag("overseer.runtime", runtime);
            turn.Tag("gen_ai.request.model", model);
            return turn;
        }
        finally
        {
            // The turn lives on in the session's actor, not in this call's flow.
            Activity.Current = cause;
        }
    }

    public static Activity? StartToolCall(ActivityContext turn, string sessionId, string tool, string toolUseId)
    {
        if (!OverseerTelemetry.Source.HasListeners())
            return null;
        var call = OverseerTelemetry.Source.StartActivity(ToolCall, ActivityKind.Internal, turn);
        call.Tag("overseer.session.id", sessionId);
        call.Tag("overseer.tool.name", tool);
        call.Tag("overseer.tool.use_id", toolUseId);
        return call;
    }

    /// <summary>One call of a model provider in Overseer's own loop, a child of the current span (the turn), with the GenAI conventions' attributes.</summary>
    public static Activity? StartModelCall(string provider, string model)
    {
        if (!OverseerTelemetry.Source.HasListeners())
            return null;
        var call = OverseerTelemetry.Source.StartActivity(ModelCall, ActivityKind.Client);
        call.Tag("gen_ai.operation.name", "chat");
        call.Tag("gen_ai.system", provider);
        call.Tag("gen_ai.request.model", model);
        return call;
    }

    public static void ModelCallEnded(Activity? call, string model, long inputTokens, long outputTokens, string? stopReason, string? error = null)
    {
        if (call is null)
            return;
        call.Tag("gen_ai.response.model", model);
        call.Tag("gen_ai.usage.input_tokens", inputTokens);
        call.Tag("gen_ai.usage.output_tokens", outputTokens);
        if (stopReason is not null)
            call.Tag("gen_ai.response.finish_reasons", stopReason);
        if (error is not null)
            call.SetStatus(ActivityStatusCode.Error, error);
        call.Stop();
    }

    public static Activity? StartApprovalWait(Activity? call) =>
        call is null ? null : OverseerTelemetry.Source.StartActivity(ApprovalWait, ActivityKind.Internal, call.Context);

    /// <summary>The gate's word on a call: its tier and decision, and how long a person took when one was asked.</summary>
    public static void Decided(Activity? call, string? tier, bool allowed, string? decidedBy, TimeSpan? approvalWait)
    {
        AgentMetrics.RecordToolCall(tier, allowed, approvalWait);
        if (call is null)
            return;
        call.Tag("overseer.tool.tier", tier);
        call.Tag("overseer.tool.decision", allowed ? "allow" : "deny");
        if (approvalWait is { } wait)
        {
            call.Tag("overseer.approval.wait_ms", (long)wait.TotalMilliseconds);
            call.Tag("overseer.approval.decided_by", decidedBy);
        }
        if (!allowed)
            call.SetStatus(ActivityStatusCode.Error, "denied");
    }
}
