using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Server;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Mcp;

/// <summary>
/// Overseer's MCP tools for what a person decides: approvals, questions, dependency requests and
/// reviews, under the same rights as the REST routes (RED approvals through <see cref="ApprovalRights"/>).
/// </summary>
[McpServerToolType]
internal sealed class DecisionTools(McpAccess access, IReadModel readModel, SessionManager manager, ApprovalRights rights)
{
    [McpServerTool(Name = "approve", Title = "Approve a tool call", Destructive = true, OpenWorld = true)]
    [Description("Approves a tool call the safety gate holds (a pending approval from get_session), so the agent runs it. " +
        "Read its tool, input, tier and reason first. A RED call also needs 'confirm' set to its confirmPhrase.")]
    public async Task<string> ApproveAsync(
        ClaimsPrincipal user,
        [Description("The approval's id (get_session's pendingApprovals).")] string approvalId,
        [Description("For a RED call: its confirmPhrase, typed back.")] string? confirm = null,
        [Description("Also allow calls of this shape from now on: 'session' or 'project'.")] string? remember = null,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(approvalId, "approvalId");
        if (remember is not null and not "session" and not "project")
            throw McpErrors.Invalid("remember", $"must be 'session' or 'project'; got '{remember}'.");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Approval, id, cancellationToken);
        if (await rights.RefusalAsync(user, id, cancellationToken) is { } refusal)
            throw McpErrors.Of(ErrorCodes.Forbidden, refusal);
        var result = await manager.ApproveAsync(id, confirm, remember, user.ActedBy(), cancellationToken);
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetApprovalAsync(id, cancellationToken))!, OverseerJson.Default.ApprovalDto);
    }

    [McpServerTool(Name = "deny", Title = "Deny a tool call", Destructive = false, OpenWorld = false)]
    [Description("Denies a tool call the safety gate holds: the agent is told it was denied (with your reason) and goes on without it.")]
    public async Task<string> DenyAsync(
        ClaimsPrincipal user,
        [Description("The approval's id (get_session's pendingApprovals).")] string approvalId,
        [Description("Why, in words the agent reads.")] string? reason = null,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(approvalId, "approvalId");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Approval, id, cancellationToken);
        var result = await manager.DenyAsync(id, reason, user.ActedBy(), cancellationToken);
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetApprovalAsync(id, cancellationToken))!, OverseerJson.Default.ApprovalDto);
    }

    [McpServerTool(Name = "answer_question", Title = "Answer an agent's question", Destructive = false, OpenWorld = true)]
    [Description("Answers a question an agent asked (get_session's pendingQuestions): 'answers' maps each question's text to the chosen option's label " +
        "(a list of labels where multiSelect is true) or to free text. The agent goes on with the answers.")]
    public async Task<string> AnswerQuestionAsync(
        ClaimsPrincipal user,
        [Description("The question's id.")] string questionId,
        [Description("Each question's text → its answer.")] Dictionary<string, JsonElement> answers,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(questionId, "questionId");
        if (answers is null || answers.Count == 0)
            throw McpErrors.Invalid("answers", "is required: an object mapping each question's text to its answer.");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Question, id, cancellationToken);
        var result = await manager.AnswerQuestionAsync(id, answers, user.ActedBy(), cancellationToken);
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetQuestionAsync(id, cancellationToken))!, OverseerJson.Default.QuestionDto);
    }

    [McpServerTool(Name = "provide_dependency", Title = "Provide a dependency", Destructive = false, OpenWorld = true)]
    [Description("Gives an agent what it asked for in a dependency request (get_session's pendingDependencies): a value, or the name of a secret already " +
        "in Overseer's vault. The value reaches the agent as an environment variable and is redacted from every event; it is never shown back.")]
    public async Task<string> ProvideDependencyAsync(
        ClaimsPrincipal user,
        [Description("The dependency request's id.")] string dependencyId,
        [Description("The value to provide (give this or secret).")] string? value = null,
        [Description("The name of a vault secret to provide instead of a value.")] string? secret = null,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(dependencyId, "dependencyId");
        if (string.IsNullOrEmpty(value) == string.IsNullOrEmpty(secret))
            throw McpErrors.Invalid(string.IsNullOrEmpty(value) ? "value" : "secret", string.IsNullOrEmpty(value) ? "or secret is required." : "cannot be given with a value: give one or the other.");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Dependency, id, cancellationToken);
        var result = await manager.ProvideDependencyAsync(id, value, secret, user.ActedBy(), cancellationToken);
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetDependencyAsync(id, cancellationToken))!, OverseerJson.Default.DependencyDto);
    }

    [McpServerTool(Name = "review", Title = "Decide on a review", Destructive = false, OpenWorld = true)]
    [Description("Decides on a plan or phase review (get_session's pendingReviews, with the plan or the files changed and the diff): " +
        "'approve' lets the agent go on; 'request_changes' sends it your feedback.")]
    public async Task<string> ReviewAsync(
        ClaimsPrincipal user,
        [Description("The review's id.")] string reviewId,
        [Description("'approve' or 'request_changes'.")] string decision,
        [Description("What to change (required with request_changes).")] string? feedback = null,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(reviewId, "reviewId");
        var approved = decision switch
        {
            "approve" => true,
            "request_changes" => false,
            _ => throw McpErrors.Invalid("decision", $"must be 'approve' or 'request_changes'; got '{decision}'."),
        };
        if (!approved && string.IsNullOrWhiteSpace(feedback))
            throw McpErrors.Invalid("feedback", "is required with request_changes: say what to change.");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Review, id, cancellationToken);
        var result = await manager.DecideReviewAsync(id, approved, approved ? null : feedback, user.ActedBy(), cancellationToken);
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetReviewAsync(id, cancellationToken))!, OverseerJson.Default.ReviewDto);
    }
}
