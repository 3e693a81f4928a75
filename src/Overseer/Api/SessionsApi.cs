using Overseer.Auth;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Storage;
using Overseer.Streaming;

namespace Overseer.Api;

public static class SessionsApi
{
    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions");
        // Starting needs the operator role in the body's project: checked globally here, in the project by the handler.
        sessions.MapPost("", CreateAsync).Requires(Roles.Operator);
        sessions.MapGet("", ListAsync).Requires(Roles.Viewer);
        sessions.MapGet("/{id}", GetAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        // Seed 003's tasks: edit (the prompt only while a draft), start a draft, delete.
        sessions.MapPatch("/{id}", UpdateAsync).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/start", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.StartAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapDelete("/{id}", async (string id, HttpContext context, SessionManager manager) =>
        {
            var result = await manager.DeleteAsync(id, context.User.ActedBy());
            return result.Succeeded ? Results.NoContent() : Problems.From(result);
        }).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/messages", SendMessageAsync).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/interrupt", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.InterruptAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/pause", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.PauseAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/resume", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.ResumeAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        // A failed session whose retry is still to come: cancelling calls the retry off.
        sessions.MapPost("/{id}/cancel", (string id, HttpContext c, SessionManager m, Core.Retries.RetryRunner retries, IReadModel r) =>
            CommandAsync(id, r, Core.Retries.SessionCancel.CancelAsync(m, retries, id, c.User.ActedBy(), c.RequestAborted))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/close", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.CloseAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/hibernate", (string id, HttpContext c, SessionManager m, IReadModel r) => CommandAsync(id, r, m.HibernateAsync(id, c.User.ActedBy()))).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/merge", MergeAsync).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapPost("/{id}/discard", async (string id, HttpContext context, SessionManager manager, IReadModel readModel) =>
        {
            var result = await manager.DiscardAsync(id, context.User.ActedBy(), context.RequestAborted);
            return result.Succeeded ? TypedResults.Ok(await readModel.GetSessionAsync(id, context.RequestAborted)) : Problems.From(result);
        }).Requires(Roles.Operator, ProjectFrom.Session);
        sessions.MapGet("/{id}/events", EventsAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        sessions.MapGet("/{id}/stream", StreamAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        sessions.MapGet("/{id}/blobs/{blobId}", BlobAsync).Requires(Roles.Viewer, ProjectFrom.Session);
        return api;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, SessionManager manager, IReadModel readModel, IdempotentRequests idempotent)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CreateSessionRequest);
        if (problem is not null)
            return problem;
        if (!IdempotentRequests.TryReadKey(context.Request, out var key, out problem))
            return problem!;
        if (key is null)
        {
            var created = await CreateSessionAsync(context, request!, manager, readModel);
            return created.Failure ?? TypedResults.Created(created.Location, created.Session);
        }
        var fingerprint = IdempotentRequests.Fingerprint(JsonSerializer.SerializeToUtf8Bytes(request!, OverseerJson.Default.CreateSessionRequest));
        return await idempotent.RunAsync(context, key, fingerprint, async () =>
        {
            var created = await CreateSessionAsync(context, request!, manager, readModel);
            return new IdempotentRequests.Created(created.Session?.Id, created.Location,
                created.Session is { } session ? JsonSerializer.Serialize(session, OverseerJson.Default.SessionDto) : null, created.Failure);
        });
    }

    private static async Task<(SessionDto? Session, string? Location, IResult? Failure)> CreateSessionAsync(HttpContext context, CreateSessionRequest request, SessionManager manager, IReadModel readModel)
    {
        if (await Visibility.CheckProjectAsync(context, request.ProjectId, Roles.Operator) is { } refused)
            return (null, null, refused.ToResult());
        var result = await manager.CreateAsync(request, context.User.ActedBy(), context.RequestAborted);
        if (result.SessionId is null)
        {
            return (null, null, Problems.Result(CreateStatus(result.Code), result.Code!, result.Error!, result.Field));
        }
        var session = await readModel.GetSessionAsync(result.SessionId, context.RequestAborted);
        return (session, $"/api/sessions/{result.SessionId}", null);
    }

    /// <summary>The status a refused creation answers with: 503 while shutting down, 409 against a spent budget, else 400.</summary>
    internal static int CreateStatus(string? code) => code switch
    {
        ErrorCodes.ShuttingDown => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.BudgetExceeded => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    private static async Task<IResult> ListAsync(HttpContext context, IReadModel readModel)
    {
        var request = context.Request;
        List<SessionStatus>? statuses = null;
        if (request.Query["status"].FirstOrDefault() is { Length: > 0 } statusList)
        {
            statuses = [];
            foreach (var name in statusList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // Deleted sessions are in no list: "deleted" is refused rather than answered with an empty page.
                if (!SessionStatusNames.TryParse(name, out var status) || status == SessionStatus.Deleted)
                    return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField,
                        $"Query parameter 'status': '{name}' is not a status sessions are listed by ({string.Join(", ", SessionStatusNames.Listed.Select(s => s.ToWire()))}).", "status");
                statuses.Add(status);
            }
        }
        var type = request.Query["type"].FirstOrDefault() is { Length: > 0 } t ? t : null;
        if (type is not null && !SessionTasks.IsType(type))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'type': {SessionTasks.TypeProblem(type)}", "type");
        if (!QueryParams.TryInt(request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out var limit, out var problem))
            return problem!;
        // A list carries prompt previews (the full prompt is on GET /api/sessions/{id}), so a
        // page's size is bounded whatever users typed.
        var page = await readModel.ListSessionsAsync(
            new SessionQuery(statuses, request.Query["projectId"].FirstOrDefault(), request.Query["cursor"].FirstOrDefault(), limit, ListLimits.PromptPreviewChars,
                await Visibility.ProjectsAsync(context), type),
            context.RequestAborted);
        return TypedResults.Ok(new ListResponse<SessionDto>(page.Items, page.Next));
    }

    private static async Task<IResult> GetAsync(string id, IReadModel readModel, CancellationToken cancellationToken)
    {
        if (await readModel.GetSessionAsync(id, cancellationToken) is not { } session)
            return Problems.SessionNotFound(id);
        // One session shows its whole chain of attempts; lists show only its links.
        if (session.Retry is { } retry)
            session = session with { Retry = retry with { Attempts = await readModel.ListAttemptsAsync(retry.FirstAttemptId, cancellationToken) } };
        return TypedResults.Ok(session);
    }

    /// <summary><c>PATCH /api/sessions/{id}</c>: 200 with the session as it is now.</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel,
        Core.Budgets.BudgetCatalog budgets, BudgetRights rights)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.UpdateSessionRequest);
        if (problem is not null)
            return problem;
        var refused = await SessionEdit.ApplyAsync(id, request!, context.User, manager, budgets, rights, context.RequestAborted);
        return refused is null
            ? TypedResults.Ok(await readModel.GetSessionAsync(id, context.RequestAborted))
            : Problems.Result(refused.Status, refused.Code, refused.Message, refused.Field);
    }

    private static async Task<IResult> SendMessageAsync(string id, HttpContext context, SessionManager manager, IReadModel readModel)
    {
        var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SendMessageRequest);
        if (problem is not null)
            return problem;
        return await CommandAsync(id, readModel, manager.SendMessageAsync(id, request!.Text, context.User.ActedBy()), "text");
    }

    private static async Task<IResult> CommandAsync(string id, IReadModel readModel, Task<CommandResult> command, string? field = null)
    {
        var result = await command;
        if (!result.Succeeded)
        {
            return result.Outcome == CommandOutcome.Invalid
                ? Problems.Result(StatusCodes.Status400BadRequest, result.Code!, result.Message!, field)
                : Problems.From(result);
        }
        return TypedResults.Accepted($"/api/sessions/{id}", await readModel.GetSessionAsync(id));
    }

    private static async Task<IResult> MergeAsync(string id, HttpContext context, SessionManager manager)
    {
        var (result, outcome) = await manager.MergeAsync(id, context.User.ActedBy(), context.RequestAborted);
        if (result.Succeeded)
            return TypedResults.Ok(new MergeResultDto(Core.Workspaces.Worktrees.BranchFor(id), outcome!.Commit!, outcome.FastForward));
        if (result.Code == ErrorCodes.MergeConflict)
        {
            var problem = Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.MergeConflict, result.Message!);
            problem.Extensions["conflicts"] = outcome?.Conflicts ?? [];
            return TypedResults.Problem(problem);
        }
        return Problems.From(result);
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext context, IEventStore store, IReadModel readModel)
    {
        if (!QueryParams.TryLong(context.Request, "after", out var after, out var problem) ||
            !QueryParams.TryInt(context.Request, "limit", 500, 1, 10_000, out var limit, out problem))
            return problem!;
        // A deleted session's events stay in the log: owners and admins may still read them here.
        if (await readModel.GetSessionAsync(id, context.RequestAborted) is null
            && !(Roles.AtLeast(context.User.Role(), Roles.Admin) && await readModel.GetDeletedSessionAsync(id, context.RequestAborted) is not null))
            return Problems.SessionNotFound(id);
        var events = await store.ReadSessionAsync(id, after, limit, context.RequestAborted);
        var next = events.Count == limit ? events[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ListResponse<EventEnvelope>(events, next));
    }

    /// <summary>
    /// The whole text an event shows a preview of (its <c>blobId</c>), as UTF-8 plain text; read
    /// under the same rule as the session's events. A blob of another session is not found here.
    /// </summary>
    internal static async Task<IResult> BlobAsync(string id, string blobId, IBlobReader blobs, IReadModel readModel, CancellationToken cancellationToken)
    {
        if (blobId.Length != 64 || !blobId.All(char.IsAsciiHexDigitLower))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "blobId must be 64 lowercase hex digits (the SHA-256 an event's blobId names).", "blobId");
        if (await readModel.GetSessionAsync(id, cancellationToken) is null)
            return Problems.SessionNotFound(id);
        if (await blobs.ReadBlobAsync(id, blobId, cancellationToken) is not { } content)
            return Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.BlobNotFound, $"Session '{id}' has no blob '{blobId}'.");
        return TypedResults.Bytes(content, "text/plain; charset=utf-8");
    }

    private static async Task StreamAsync(string id, HttpContext context, EventStreamReader reader, IReadModel readModel, StreamVisibility visibility)
    {
        if (!SseEndpoint.TryResumePosition(context.Request, fallback: 0, out var after, out var badField))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, ErrorCodes.InvalidField,
                $"{(badField == "after" ? "Query parameter 'after'" : "Header " + badField)} must be a non-negative whole number (an event seq).", badField);
            return;
        }
        if (await readModel.GetSessionAsync(id, context.RequestAborted) is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, ErrorCodes.SessionNotFound, $"No session has id '{id}'.");
            return;
        }
        await SseEndpoint.WriteAsync(context, reader, after, new HashSet<string>(StringComparer.Ordinal) { id }, visibility.FilterFor(context.User));
    }
}
