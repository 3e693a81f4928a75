using System.Text.Json;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Notifications;

/// <summary>
/// Decides an item for a user who acted from a notification (a link, a chat button): checks the
/// user still exists, is enabled and may operate in the item's project now, then goes through the
/// same <see cref="SessionManager"/> calls the API uses, with the user's name as the decider.
/// </summary>
internal sealed class ItemDecisions(SessionManager manager, IReadModel readModel, IUserStore users, ProjectAccess access)
{
    public async Task<CommandResult> DecideAsync(ActionClaim claim, string? confirm, CancellationToken cancellationToken)
    {
        var user = await users.FindAsync(claim.UserId, cancellationToken);
        if (user is null || user.DisabledAt is not null)
            return CommandResult.Invalid("The user this link was sent to no longer exists or is disabled.", NotificationErrors.Forbidden);
        var sessionId = claim.Kind switch
        {
            "approval" => (await readModel.GetApprovalAsync(claim.ItemId, cancellationToken))?.SessionId,
            "question" => (await readModel.GetQuestionAsync(claim.ItemId, cancellationToken))?.SessionId,
            _ => null,
        };
        if (sessionId is null)
            return CommandResult.NotFound($"No {claim.Kind} has id '{claim.ItemId}'.", claim.Kind == "approval" ? ErrorCodes.ApprovalNotFound : ErrorCodes.QuestionNotFound);
        var session = await readModel.GetSessionAsync(sessionId, cancellationToken);
        if (session is null || !await access.HasAsync(UserPrincipal.For(user), session.ProjectId, Roles.Operator, cancellationToken))
            return CommandResult.Invalid($"{user.Name} may no longer decide in this session's project.", NotificationErrors.Forbidden);
        return (claim.Kind, claim.Action) switch
        {
            ("approval", "approve") => await manager.ApproveAsync(claim.ItemId, confirm, null, user.Name, cancellationToken),
            ("approval", "deny") => await manager.DenyAsync(claim.ItemId, null, user.Name, cancellationToken),
            ("question", "answer") => await AnswerAsync(claim, user.Name, cancellationToken),
            _ => CommandResult.Invalid($"'{claim.Action}' is not an action on a {claim.Kind}.", ErrorCodes.InvalidField),
        };
    }

    private async Task<CommandResult> AnswerAsync(ActionClaim claim, string by, CancellationToken cancellationToken)
    {
        var question = await readModel.GetQuestionAsync(claim.ItemId, cancellationToken);
        if (question is not { Questions.Count: 1 } || claim.Option is null)
            return CommandResult.Invalid("This question needs an answer typed in the dashboard.", ErrorCodes.InvalidAnswer);
        var answers = new Dictionary<string, JsonElement> { [question.Questions[0].Question] = JsonSerializer.SerializeToElement(claim.Option, NotificationJson.Default.String) };
        return await manager.AnswerQuestionAsync(claim.ItemId, answers, by, cancellationToken);
    }
}
