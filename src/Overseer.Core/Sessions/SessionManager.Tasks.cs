using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Core.Sessions;

// Sessions as tasks (seed 003): a draft is stored without starting, edited, started later, and
// any session can be deleted. A draft has no host: its changes, its start and its deletion are
// made in the store under the lock that also guards making hosts, so a draft is never started
// twice, edited after it started, or given a host while it is being deleted.
public sealed partial class SessionManager
{
    /// <summary>
    /// Changes what a person may change: title, description, type and priority while the session
    /// has not ended, and the prompt only while it is a draft. Fields that already hold the value
    /// given are not changes; a request that changes nothing stores nothing.
    /// </summary>
    public async Task<CommandResult> UpdateAsync(string id, UpdateSessionRequest request, ActedBy by)
    {
        if (_stopping)
            return CommandResult.InvalidState("Overseer is shutting down.");
        if (request is { Title: null, Description: null, Type: null, Priority: null, Prompt: null })
            return CommandResult.Invalid("Nothing to change: give at least one of title, description, type, priority, prompt or budgetUsd.", ErrorCodes.InvalidField);
        if (TaskFieldProblem(request.Title, request.Description, request.Type is "" ? null : request.Type) is { } problem)
            return problem;
        if (request.Priority is < -100 or > 100)
            return CommandResult.Invalid("priority must be between -100 and 100.", ErrorCodes.InvalidField, "priority");
        if (request.Prompt is not null && string.IsNullOrWhiteSpace(request.Prompt))
            return CommandResult.Invalid("prompt must not be empty.", ErrorCodes.InvalidField, "prompt");

        await _restoreLock.WaitAsync();
        try
        {
            var session = await _readModel.GetSessionAsync(id);
            if (session is null)
                return CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound);
            var change = Changes(session, request, by);
            if (change.Changed.Count == 0)
                return CommandResult.Done;
            if (session.Status == SessionStatus.Draft)
            {
                await _store.AppendAsync([EventFactory.Create(id, EventTypes.SessionUpdated, by.Name, change, OverseerJson.Default.SessionUpdatedData)]);
                return CommandResult.Done;
            }
        }
        finally
        {
            _restoreLock.Release();
        }
        // Started: its actor stores the change in order with everything else it does.
        var current = await _readModel.GetSessionAsync(id);
        return current is null
            ? CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound)
            : await OnHostAsync(id, host => host.UpdateAsync(Changes(current, request, by), by));
    }

    /// <summary>Starts a draft: it is queued and runs as a slot frees, at its priority, with its prompt as it stands.</summary>
    public async Task<CommandResult> StartAsync(string id, ActedBy by)
    {
        if (_stopping)
            return CommandResult.InvalidState("Overseer is shutting down.");
        SessionDto queued;
        await _restoreLock.WaitAsync();
        try
        {
            var session = await _readModel.GetSessionAsync(id);
            if (session is null)
                return CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound);
            if (session.Status != SessionStatus.Draft)
                return CommandResult.InvalidState($"Only a draft can be started; this session is {session.Status.ToWire()}.");
            await _store.AppendAsync([EventFactory.Create(id, EventTypes.SessionQueued, by.Name,
                new StateChangeData(SessionStatus.Draft, SessionStatus.Queued, "started by " + by, By: by.UserId is null ? null : by.Name, ByUserId: by.UserId, TokenId: by.TokenId),
                OverseerJson.Default.StateChangeData)]);
            queued = (await _readModel.GetSessionAsync(id))!;
            AddHost(await RestoreHostAsync(queued));
        }
        finally
        {
            _restoreLock.Release();
        }
        _scheduler.Enqueue(id, queued.Priority);
        return CommandResult.Done;
    }

    /// <summary>
    /// Deletes a session: a live one is cancelled first (as cancel does), then it is marked
    /// deleted. It leaves every list, search and count; its events stay in the log. Deleting a
    /// deleted (or unknown) session is not found.
    /// </summary>
    public async Task<CommandResult> DeleteAsync(string id, ActedBy by)
    {
        if (_stopping)
            return CommandResult.InvalidState("Overseer is shutting down.");
        // Twice at most: a session that ends while its host is asked is deleted in the store.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var viaHost = await OnHostAsync(id, host => host.DeleteAsync(by));
            if (viaHost.Outcome != CommandOutcome.InvalidState)
                return viaHost;
            // No live host: a draft, or a session that has ended.
            await _restoreLock.WaitAsync();
            try
            {
                var session = await _readModel.GetSessionAsync(id);
                if (session is null)
                    return CommandResult.NotFound($"No session has id '{id}'.", ErrorCodes.SessionNotFound);
                if (session.Status is SessionStatus.Draft or SessionStatus.Completed or SessionStatus.Cancelled)
                {
                    await _store.AppendAsync([EventFactory.Create(id, SessionStatus.Deleted.EventType(), by.Name,
                        new StateChangeData(session.Status, SessionStatus.Deleted, "deleted by " + by, By: by.UserId is null ? null : by.Name, ByUserId: by.UserId, TokenId: by.TokenId),
                        OverseerJson.Default.StateChangeData)]);
                    return CommandResult.Done;
                }
            }
            finally
            {
                _restoreLock.Release();
            }
        }
        return CommandResult.InvalidState("The session changed while it was being deleted; try again.");
    }

    /// <summary>The fields of <paramref name="request"/> whose values differ from the session's, with their new values.</summary>
    private static SessionUpdatedData Changes(SessionDto session, UpdateSessionRequest request, ActedBy by)
    {
        var changed = new List<string>(5);
        var title = request.Title?.Trim();
        if (title is not null && title != session.Title)
            changed.Add("title");
        if (request.Description is { } description && description != (session.Description ?? ""))
            changed.Add("description");
        if (request.Type is { } type && type != (session.Type ?? ""))
            changed.Add("type");
        if (request.Priority is { } priority && priority != session.Priority)
            changed.Add("priority");
        if (request.Prompt is { } prompt && prompt != session.Prompt)
            changed.Add("prompt");
        return new SessionUpdatedData(changed,
            changed.Contains("title") ? title : null,
            changed.Contains("description") ? request.Description : null,
            changed.Contains("type") ? request.Type : null,
            changed.Contains("priority") ? request.Priority : null,
            changed.Contains("prompt") ? request.Prompt : null,
            by.Name, by.UserId, by.TokenId);
    }

    /// <summary>What is wrong with a title, description or type a person gave (each optional), naming the field.</summary>
    private static CommandResult? TaskFieldProblem(string? title, string? description, string? type)
    {
        if (title is not null && SessionTasks.TitleProblem(title.Trim()) is { } badTitle)
            return CommandResult.Invalid(badTitle, ErrorCodes.InvalidField, "title");
        if (description is not null && SessionTasks.DescriptionProblem(description) is { } badDescription)
            return CommandResult.Invalid(badDescription, ErrorCodes.InvalidField, "description");
        if (type is not null && !SessionTasks.IsType(type))
            return CommandResult.Invalid(SessionTasks.TypeProblem(type), ErrorCodes.InvalidField, "type");
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
