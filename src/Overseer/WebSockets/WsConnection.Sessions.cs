using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;
using Overseer.Core.Sessions;

namespace Overseer.WebSockets;

internal sealed partial class WsConnection
{
    /// <summary>
    /// Seed 004's execute on Overseer's sessions: the prompt goes to the project's current session
    /// as a follow-up when it is idle or interrupted, starts a new session when there is none or
    /// it failed (the failed one is closed: seed 004's "error acknowledged"), and is refused with
    /// SESSION_BUSY while the session is working.
    /// </summary>
    private async Task ExecuteAsync(string? id, WsExecute message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ProjectId, "projectId", cancellationToken) || !await RequireAsync(id, message.Prompt, "prompt", cancellationToken))
            return;
        var projectId = message.ProjectId!;
        if (!await MayInProjectAsync(id, projectId, Roles.Operator, cancellationToken))
            return;
        if (await _services.ReadModel.GetProjectAsync(projectId, cancellationToken) is null)
        {
            await ProjectNotFoundAsync(id, projectId, cancellationToken);
            return;
        }
        string sessionId;
        bool created;
        long after;
        var gate = _services.ExecuteGate(projectId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            after = _services.Store.LastSeq;
            var current = await _services.Views.CurrentSessionAsync(projectId, cancellationToken);
            if (current is null or { Status: SessionStatus.Failed })
            {
                // Closed first, or the failure would be current again once the new session ends.
                if (current is not null)
                    await _services.Sessions.CloseAsync(current.Id, Acting);
                var request = new CreateSessionRequest(projectId, message.Prompt, message.Runtime, message.Model, null, message.Script);
                var result = await _services.Sessions.CreateAsync(request, Acting, cancellationToken);
                if (result.SessionId is null)
                {
                    await SendErrorAsync(id, WireCode(result.Code!), result.Error!, result.Field, cancellationToken, projectId);
                    return;
                }
                (sessionId, created) = (result.SessionId, true);
                _services.Index.Remember(sessionId, projectId);
            }
            else if (current.Status is SessionStatus.Idle or SessionStatus.Interrupted)
            {
                var result = await _services.Sessions.SendMessageAsync(current.Id, message.Prompt, Acting);
                if (!result.Succeeded)
                {
                    // Busy is the only state failure left: the session moved on since it was read.
                    var code = result.Outcome == CommandOutcome.InvalidState ? WsErrorCodes.SessionBusy : WireCode(result.Code ?? WsErrorCodes.ValidationFailed);
                    await SendErrorAsync(id, code, result.Message!, result.Outcome == CommandOutcome.Invalid ? "prompt" : null, cancellationToken, projectId, current.Id);
                    return;
                }
                (sessionId, created) = (current.Id, false);
            }
            else
            {
                await SendErrorAsync(id, WsErrorCodes.SessionBusy,
                    $"The project's session {current.Id} is {current.Status.ToWire()}; wait for its turn to end, answer what it waits for, or agent_kill it.",
                    null, cancellationToken, projectId, current.Id);
                return;
            }
        }
        finally
        {
            gate.Release();
        }
        await SendAsync(new WsExecuteStarted(id, projectId, sessionId, created), OverseerJson.Default.WsExecuteStarted, cancellationToken);
        _ = ExecutionWatch.RunAsync(_services, _outbox, id, projectId, sessionId, after, Acting);
    }

    /// <summary>
    /// Seed 004's kill: cancels the project's current session (a failed one, whose agent is gone
    /// already, is closed instead); replies with the project's new state.
    /// </summary>
    private async Task KillAsync(string? id, WsAgentKill message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ProjectId, "projectId", cancellationToken))
            return;
        var projectId = message.ProjectId!;
        if (!await MayInProjectAsync(id, projectId, Roles.Operator, cancellationToken))
            return;
        if (await _services.ReadModel.GetProjectAsync(projectId, cancellationToken) is not { } project)
        {
            await ProjectNotFoundAsync(id, projectId, cancellationToken);
            return;
        }
        if (await _services.Views.CurrentSessionAsync(projectId, cancellationToken) is not { } current)
        {
            await SendErrorAsync(id, ErrorCodes.InvalidState, "The project has no session to kill.", null, cancellationToken, projectId);
            return;
        }
        var result = current.Status == SessionStatus.Failed
            ? await _services.Sessions.CloseAsync(current.Id, Acting)
            : await _services.Sessions.CancelAsync(current.Id, Acting);
        if (!result.Succeeded)
        {
            await SendCommandErrorAsync(id, result, null, cancellationToken, projectId, current.Id);
            return;
        }
        var view = await _services.Views.DescribeAsync(project, cancellationToken);
        await SendAsync(new WsProjectState(id, view), OverseerJson.Default.WsProjectState, cancellationToken);
    }

    // approve, deny and answer go through the same SessionManager calls as the REST endpoints,
    // so validation, confirmation phrases, remembered rules and events are identical.

    private async Task ApproveAsync(string? id, WsApprove message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ApprovalId, "approvalId", cancellationToken)
            || !await MayOnItemAsync(id, Auth.ProjectFrom.Approval, message.ApprovalId!, cancellationToken))
            return;
        if (await _services.ApprovalRights.RefusalAsync(_user!, message.ApprovalId!, cancellationToken) is { } refusal)
        {
            await SendErrorAsync(id, ErrorCodes.Forbidden, refusal, null, cancellationToken);
            return;
        }
        var result = await _services.Sessions.ApproveAsync(message.ApprovalId!, message.Confirm, message.Remember, Acting, cancellationToken);
        await ReplyAsync(id, result, result.Code == ErrorCodes.ConfirmationRequired ? "confirm" : "remember", cancellationToken);
    }

    private async Task DenyAsync(string? id, WsDeny message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.ApprovalId, "approvalId", cancellationToken)
            || !await MayOnItemAsync(id, Auth.ProjectFrom.Approval, message.ApprovalId!, cancellationToken))
            return;
        var result = await _services.Sessions.DenyAsync(message.ApprovalId!, message.Reason, Acting, cancellationToken, message.Hibernate);
        await ReplyAsync(id, result, "reason", cancellationToken);
    }

    private async Task AnswerAsync(string? id, WsAnswer message, CancellationToken cancellationToken)
    {
        if (!await RequireAsync(id, message.QuestionId, "questionId", cancellationToken)
            || !await MayOnItemAsync(id, Auth.ProjectFrom.Question, message.QuestionId!, cancellationToken))
            return;
        var result = await _services.Sessions.AnswerQuestionAsync(message.QuestionId!, message.Answers, Acting, cancellationToken);
        await ReplyAsync(id, result, "answers", cancellationToken);
    }

    private async Task ReplyAsync(string? id, CommandResult result, string invalidField, CancellationToken cancellationToken)
    {
        if (result.Succeeded)
            await SendAsync(new WsOk(id), OverseerJson.Default.WsOk, cancellationToken);
        else
            await SendCommandErrorAsync(id, result, invalidField, cancellationToken);
    }

    private ValueTask SendCommandErrorAsync(string? id, CommandResult result, string? invalidField, CancellationToken cancellationToken, string? projectId = null, string? sessionId = null)
    {
        var (code, field) = result.Outcome switch
        {
            CommandOutcome.NotFound => (ErrorCodes.NotFound, null),
            CommandOutcome.InvalidState => (ErrorCodes.InvalidState, null),
            _ => (WireCode(result.Code ?? ErrorCodes.InvalidField), invalidField),
        };
        return SendErrorAsync(id, code, result.Message ?? "The command failed.", field, cancellationToken, projectId, sessionId);
    }
}
