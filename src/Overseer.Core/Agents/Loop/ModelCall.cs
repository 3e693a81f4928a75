using System.Text;
using Overseer.Core.Telemetry;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// One streamed model call of a turn: each content block becomes its event the moment it is
/// complete (text, thinking, a tool call), usage and cost are reported, and a call cut off — an
/// interrupt, a failure mid-stream — still records the text that had arrived.
/// </summary>
internal static class ModelCall
{
    public sealed record Outcome(ModelStopReason StopReason, IReadOnlyList<ToolUsePart> ToolUses, ModelUsage Usage);

    public static async Task<Outcome> RunAsync(IModelClient client, ModelRequest request, LoopOutput output, ModelPrice? price, CancellationToken cancellationToken)
    {
        var partial = new SortedDictionary<int, StringBuilder>();
        var uses = new List<ToolUsePart>();
        string? messageId = null;
        var model = request.Model;
        var usage = ModelUsage.None;
        var stop = ModelStopReason.Other;
        var completed = false;
        using var span = SessionTracing.StartModelCall(client.Provider, request.Model);
        try
        {
            await foreach (var item in client.StreamAsync(request, cancellationToken))
            {
                switch (item)
                {
                    case ModelMessageStarted started:
                        messageId = started.MessageId;
                        model = started.Model.Length > 0 ? started.Model : model;
                        usage = started.Usage;
                        break;
                    case ModelTextDelta delta:
                        (partial.TryGetValue(delta.Index, out var text) ? text : partial[delta.Index] = new StringBuilder()).Append(delta.Text);
                        break;
                    case ModelBlockCompleted block:
                        partial.Remove(block.Index);
                        await EmitBlockAsync(block.Part, messageId, output, uses);
                        break;
                    case ModelMessageCompleted done:
                        stop = done.StopReason;
                        usage = done.Usage;
                        completed = true;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ModelException)
        {
            // What the person already saw streaming stays in the conversation.
            foreach (var text in partial.Values.Where(t => t.Length > 0))
                await output.TextAsync(text.ToString(), messageId);
            SessionTracing.ModelCallEnded(span, model, usage.InputTokens, usage.OutputTokens, null, ex.Message);
            await ReportUsageAsync(output, model, usage, price);
            throw;
        }
        if (!completed)
        {
            SessionTracing.ModelCallEnded(span, model, usage.InputTokens, usage.OutputTokens, null, "the stream ended early");
            throw new ModelUnavailableException($"The {client.Provider} stream ended before the message was complete.");
        }
        SessionTracing.ModelCallEnded(span, model, usage.InputTokens, usage.OutputTokens, FinishReason(stop));
        await ReportUsageAsync(output, model, usage, price);
        return new Outcome(stop, uses, usage);
    }

    /// <summary>The stop reason in the provider's words, as tracing backends show it.</summary>
    private static string FinishReason(ModelStopReason stop) => stop switch
    {
        ModelStopReason.EndTurn => "end_turn",
        ModelStopReason.ToolUse => "tool_use",
        ModelStopReason.MaxTokens => "max_tokens",
        ModelStopReason.StopSequence => "stop_sequence",
        ModelStopReason.Refusal => "refusal",
        ModelStopReason.ContextWindowExceeded => "model_context_window_exceeded",
        _ => "other",
    };

    /// <summary>A plain-text answer (a summary): nothing is emitted but its usage.</summary>
    public static async Task<string> CollectTextAsync(IModelClient client, ModelRequest request, LoopOutput output, ModelPrice? price, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var usage = ModelUsage.None;
        var model = request.Model;
        try
        {
            await foreach (var item in client.StreamAsync(request, cancellationToken))
            {
                switch (item)
                {
                    case ModelMessageStarted started:
                        usage = started.Usage;
                        model = started.Model.Length > 0 ? started.Model : model;
                        break;
                    case ModelBlockCompleted { Part: TextPart part }:
                        text.Append(part.Text);
                        break;
                    case ModelMessageCompleted done:
                        usage = done.Usage;
                        break;
                }
            }
        }
        finally
        {
            await ReportUsageAsync(output, model, usage, price);
        }
        return text.ToString().Trim();
    }

    private static async ValueTask EmitBlockAsync(ChatPart part, string? messageId, LoopOutput output, List<ToolUsePart> uses)
    {
        switch (part)
        {
            case TextPart text when text.Text.Length > 0:
                await output.TextAsync(text.Text, messageId);
                break;
            case ThinkingPart thinking:
                await output.EmitAsync(new AgentThinkingEmitted(thinking.Redacted ? "(redacted thinking)" : thinking.Text, messageId, thinking.Signature, thinking.Redacted),
                    new ThinkingEntry(thinking.Redacted ? "(redacted thinking)" : thinking.Text, thinking.Signature, thinking.Redacted));
                break;
            case ToolUsePart use:
                uses.Add(use);
                await output.EmitAsync(new ToolCallRequested(use.Id, use.Name, use.Input), new ToolUseEntry(use.Id, use.Name, use.Input));
                break;
        }
    }

    private static async ValueTask ReportUsageAsync(LoopOutput output, string model, ModelUsage usage, ModelPrice? price)
    {
        if (usage.PromptTokens + usage.OutputTokens == 0)
            return;
        // As the claude-code runtime reports it: input counts the prompt cache's writes, cache reads apart.
        await output.EmitAsync(new UsageReported(model, usage.InputTokens + usage.CacheWriteTokens, usage.OutputTokens, usage.CacheReadTokens, price?.Cost(usage) ?? 0m));
    }
}
