using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// Runs the model's tool calls the way the claude-code runtime has the CLI run them: every call
/// passes the session's safety gate (which may wait for a person's approval) before its tool runs;
/// <c>AskUserQuestion</c> becomes a question and <c>ExitPlanMode</c> a plan review, each answered by
/// a person. Whatever happens, the model gets a result.
/// </summary>
internal sealed class ToolDispatcher(ToolCatalog catalog, ToolContext context, bool planMode)
{
    public const string ApprovedPlan = "User has approved your plan. You can now start coding. Start with updating your todo list if applicable";

    private bool _planMode = planMode;

    public async Task<ToolOutcome> RunAsync(ToolUsePart call, IAgentSink sink, CancellationToken cancellationToken)
    {
        switch (call.Name)
        {
            case ToolCatalog.AskUserQuestion:
                return await AskAsync(call, sink, cancellationToken);
            case ToolCatalog.ExitPlanMode:
                return await ReviewPlanAsync(call, sink, cancellationToken);
        }
        if (catalog.Find(call.Name) is not { } tool)
            return ToolOutcome.Error($"No such tool available: {call.Name}. The tools are: {string.Join(", ", catalog.Definitions.Select(d => d.Name))}.");
        if (_planMode && ToolCatalog.Changes(call.Name))
            return ToolOutcome.Error("Plan mode is on: present your plan with ExitPlanMode and wait for its approval before you change files or run commands.");
        var decision = await sink.RequestToolAsync(new ToolRequest(call.Id, call.Name, call.Input), cancellationToken);
        if (!decision.Allowed)
            return ToolOutcome.Error(Denied(decision.Reason));
        try
        {
            return await tool.RunAsync(call.Input, context, cancellationToken);
        }
        catch (ToolInputException ex)
        {
            return ToolOutcome.Error(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ToolOutcome.Error($"{call.Name} failed: {ex.Message}");
        }
    }

    private static async Task<ToolOutcome> AskAsync(ToolUsePart call, IAgentSink sink, CancellationToken cancellationToken)
    {
        IReadOnlyList<QuestionItem>? questions = null;
        try
        {
            if (call.Input.TryGetProperty("questions", out var list) && list.ValueKind == JsonValueKind.Array)
                questions = list.Deserialize(OverseerJson.Default.IReadOnlyListQuestionItem);
        }
        catch (JsonException)
        {
        }
        if (questions is not { Count: > 0 } || questions.Any(q => string.IsNullOrWhiteSpace(q.Question)))
            return ToolOutcome.Error("InputValidationError: `questions` must hold one to four questions, each with question, header, options and multiSelect.");
        var answers = await sink.AskAsync(questions, call.Id, cancellationToken);
        var pairs = questions.Select(q => $"\"{q.Question}\"=\"{(answers.TryGetValue(q.Question, out var a) ? Describe(a) : "(no answer)")}\"");
        // Claude Code's words, so a model reads the answer as it would there.
        return new ToolOutcome($"Your questions have been answered: {string.Join(", ", pairs)}. You can now continue with these answers in mind.");
    }

    private async Task<ToolOutcome> ReviewPlanAsync(ToolUsePart call, IAgentSink sink, CancellationToken cancellationToken)
    {
        var plan = call.Input.TryGetProperty("plan", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : call.Input.GetRawText();
        var review = await sink.RequestReviewAsync(new ReviewRequest("plan", plan, ToolUseId: call.Id), cancellationToken);
        if (!review.Approved)
            return ToolOutcome.Error("The plan needs changes: " + (review.Feedback ?? "(no feedback given)"));
        _planMode = false;
        return new ToolOutcome(ApprovedPlan);
    }

    // A person's denial already reads "Denied by admin."; say it once.
    private static string Denied(string? reason) =>
        reason is null ? "Denied by Overseer's safety policy."
        : reason.StartsWith("Denied", StringComparison.Ordinal) || reason.StartsWith("Blocked", StringComparison.Ordinal) ? reason
        : "Denied: " + reason;

    private static string Describe(JsonElement answer) => answer.ValueKind == JsonValueKind.Array
        ? string.Join(", ", answer.EnumerateArray().Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText()))
        : answer.ValueKind == JsonValueKind.String ? answer.GetString() ?? "" : answer.GetRawText();
}
