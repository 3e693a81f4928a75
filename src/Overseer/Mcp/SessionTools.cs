using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using ModelContextProtocol.Server;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Retries;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Mcp;

/// <summary>
/// Overseer's MCP tools for projects and sessions: the REST API's routes as tools, run by the same
/// services under the same checks (<see cref="McpAccess"/>), answering with the same JSON.
/// </summary>
[McpServerToolType]
internal sealed class SessionTools(McpAccess access, IReadModel readModel, SessionManager manager, TemplateCatalog templates, IEventStore store, RetryRunner retries)
{
    public const int MaxListLimit = 100;
    public const int MaxEventsLimit = 500;

    [McpServerTool(Name = "list_projects", Title = "List projects", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the Overseer projects you can see: each has an id (use it as projectId), a name and the directory on the server its agents work in.")]
    public async Task<string> ListProjectsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await access.RequireAsync(user, Roles.Viewer, ProjectFrom.None, null, cancellationToken);
        var visible = await access.VisibleProjectsAsync(user, cancellationToken);
        var all = await readModel.ListProjectsAsync(cancellationToken);
        return JsonSerializer.Serialize(new ListResponse<ProjectDto>(visible is null ? all : [.. all.Where(p => visible.Contains(p.Id))], null), OverseerJson.Default.ListResponseProjectDto);
    }

    [McpServerTool(Name = "list_templates", Title = "List templates", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists the session templates (reusable prompts such as a code review or a bug fix) with their parameters' JSON schema. Start one with start_session's templateId and parameters.")]
    public async Task<string> ListTemplatesAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await access.RequireAsync(user, Roles.Viewer, ProjectFrom.None, null, cancellationToken);
        return JsonSerializer.Serialize(new ListResponse<TemplateDto>(await templates.ListAsync(null, cancellationToken), null), OverseerJson.Default.ListResponseTemplateDto);
    }

    [McpServerTool(Name = "list_sessions", Title = "List sessions", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists agent sessions, newest first: id, project, status (queued, starting, running, waiting, idle, paused, completed, failed, cancelled, ...), " +
        "pending counts (approvals, questions, dependencies, reviews waiting for a person), usage and cost in USD. A session whose status is 'waiting' needs a person: " +
        "get_session shows what it waits for. Prompts are previews here; get_session has the whole prompt.")]
    public async Task<string> ListSessionsAsync(
        ClaimsPrincipal user,
        [Description("Only sessions in these states, comma-separated (for example 'waiting' or 'running,waiting').")] string? status = null,
        [Description("Only sessions of this project (an id from list_projects).")] string? projectId = null,
        [Description("How many sessions to return, 1 to 100 (default 20).")] int? limit = null,
        [Description("The 'next' value of a previous page, to continue from it.")] string? cursor = null,
        CancellationToken cancellationToken = default)
    {
        await access.RequireAsync(user, Roles.Viewer, ProjectFrom.None, null, cancellationToken);
        List<SessionStatus>? statuses = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statuses = [];
            foreach (var name in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!SessionStatusNames.TryParse(name, out var parsed) || parsed == SessionStatus.Deleted)
                    throw McpErrors.Invalid("status", $"'{name}' is not a status sessions are listed by ({string.Join(", ", SessionStatusNames.Listed.Select(s => s.ToWire()))}).");
                statuses.Add(parsed);
            }
        }
        var take = McpErrors.Range(limit, "limit", 20, 1, MaxListLimit);
        var page = await readModel.ListSessionsAsync(
            new SessionQuery(statuses, string.IsNullOrWhiteSpace(projectId) ? null : projectId.Trim(), string.IsNullOrWhiteSpace(cursor) ? null : cursor, take,
                ListLimits.PromptPreviewChars, await access.VisibleProjectsAsync(user, cancellationToken)),
            cancellationToken);
        return JsonSerializer.Serialize(new ListResponse<SessionDto>(page.Items, page.Next), OverseerJson.Default.ListResponseSessionDto);
    }

    [McpServerTool(Name = "get_session", Title = "Get a session", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("One session in full: status, prompt, progress, usage and cost, and every item it waits on a person for — pending approvals " +
        "(tool calls held by the safety gate: tool, input, tier, reason), questions, dependency requests and reviews — with the ids that " +
        "approve, deny, answer_question, provide_dependency and review take.")]
    public async Task<string> GetSessionAsync(
        ClaimsPrincipal user,
        [Description("The session's id (from list_sessions or start_session).")] string sessionId,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(sessionId, "sessionId");
        await access.RequireAsync(user, Roles.Viewer, ProjectFrom.Session, id, cancellationToken);
        var session = await readModel.GetSessionAsync(id, cancellationToken) ?? throw McpErrors.Of(ErrorCodes.SessionNotFound, $"No session has id '{id}'.");
        var pending = new ItemQuery("pending", id, Limit: 50);
        var detail = new McpSessionDetailDto(session,
            (await readModel.ListApprovalsAsync(pending, cancellationToken)).Items,
            (await readModel.ListQuestionsAsync(pending, cancellationToken)).Items,
            (await readModel.ListDependenciesAsync(pending, cancellationToken)).Items,
            (await readModel.ListReviewsAsync(pending, cancellationToken)).Items);
        return JsonSerializer.Serialize(detail, OverseerJson.Default.McpSessionDetailDto);
    }

    [McpServerTool(Name = "start_session", Title = "Start a session", Destructive = false, Idempotent = false, OpenWorld = true)]
    [Description("Starts an agent session in a project, from a prompt or from a template with parameters (give prompt or templateId, not both). " +
        "The agent works on the server under Overseer's safety gate: risky tool calls wait for a person's approval, and its questions wait for an answer. " +
        "Returns the new session; follow it with get_session or read_events.")]
    public async Task<string> StartSessionAsync(
        ClaimsPrincipal user,
        [Description("The project to work in (an id from list_projects).")] string projectId,
        [Description("What the agent should do.")] string? prompt = null,
        [Description("A template to start instead of a prompt (an id from list_templates).")] string? templateId = null,
        [Description("The template's parameters, an object matching its parametersSchema.")] Dictionary<string, JsonElement>? parameters = null,
        [Description("A short title for the session (defaults to the prompt's first line).")] string? title = null,
        [Description("The agent runtime: claude-code, anthropic or scripted (default: the server's).")] string? runtime = null,
        [Description("The model, when not the runtime's default.")] string? model = null,
        CancellationToken cancellationToken = default)
    {
        var project = McpErrors.Id(projectId, "projectId");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.None, null, cancellationToken);
        await access.RequireProjectAsync(user, project, Roles.Operator, cancellationToken);
        var hasPrompt = !string.IsNullOrWhiteSpace(prompt);
        var hasTemplate = !string.IsNullOrWhiteSpace(templateId);
        if (hasPrompt == hasTemplate)
            throw McpErrors.Invalid(hasPrompt ? "templateId" : "prompt", hasPrompt ? "cannot be given with a prompt: give one or the other." : "or templateId is required: say what the agent should do, or name a template.");
        if (parameters is not null && !hasTemplate)
            throw McpErrors.Invalid("parameters", "are for a template: give templateId too.");
        CreateSessionResult created;
        if (hasTemplate)
        {
            var (result, failure) = await templates.RunAsync(templateId!.Trim(), new RunTemplateRequest(project, parameters, runtime, model), user.ActedBy(), cancellationToken);
            if (failure is not null)
                throw McpErrors.Of(failure.Code!, failure.Message!);
            created = result!;
        }
        else
        {
            created = await manager.CreateAsync(new CreateSessionRequest(project, prompt, runtime, model, null, null, Title: title), user.ActedBy(), cancellationToken);
        }
        if (created.SessionId is null)
            throw McpErrors.Of(created.Code!, created.Field is { } field && !created.Error!.Contains(field, StringComparison.Ordinal) ? $"{field}: {created.Error}" : created.Error!);
        var session = await readModel.GetSessionAsync(created.SessionId, cancellationToken);
        return JsonSerializer.Serialize(session!, OverseerJson.Default.SessionDto);
    }

    [McpServerTool(Name = "send_message", Title = "Send a message", Destructive = false, OpenWorld = true)]
    [Description("Sends a follow-up message to a session's agent (a new instruction, or a reply when it is idle). Not for answering its questions: use answer_question.")]
    public async Task<string> SendMessageAsync(
        ClaimsPrincipal user,
        [Description("The session's id.")] string sessionId,
        [Description("The message.")] string text,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(sessionId, "sessionId");
        if (string.IsNullOrWhiteSpace(text))
            throw McpErrors.Invalid("text", "is required: the message to send.");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Session, id, cancellationToken);
        return await CommandAsync(id, manager.SendMessageAsync(id, text, user.ActedBy()), cancellationToken);
    }

    [McpServerTool(Name = "cancel_session", Title = "Cancel a session", Destructive = true, OpenWorld = false)]
    [Description("Cancels a session: its agent stops and it ends as cancelled (a failed session's pending retry is called off). Its record stays.")]
    public async Task<string> CancelSessionAsync(
        ClaimsPrincipal user,
        [Description("The session's id.")] string sessionId,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(sessionId, "sessionId");
        await access.RequireAsync(user, Roles.Operator, ProjectFrom.Session, id, cancellationToken);
        return await CommandAsync(id, SessionCancel.CancelAsync(manager, retries, id, user.ActedBy(), cancellationToken), cancellationToken);
    }

    [McpServerTool(Name = "read_events", Title = "Read a session's events", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("A session's events in order after a position: what the agent said (agent.text), its tool calls (tool.call, tool.result), the gate's decisions, " +
        "approvals, questions, state changes (session.*), usage. Each event has a seq; pass the last seq you saw as 'after' to read only what is new " +
        "(the page's 'next' is that value when there is more).")]
    public async Task<string> ReadEventsAsync(
        ClaimsPrincipal user,
        [Description("The session's id.")] string sessionId,
        [Description("Only events after this position (an event's seq; 0 or absent for the start).")] long? after = null,
        [Description("How many events, 1 to 500 (default 100).")] int? limit = null,
        CancellationToken cancellationToken = default)
    {
        var id = McpErrors.Id(sessionId, "sessionId");
        if (after is < 0)
            throw McpErrors.Invalid("after", $"must be 0 or a position an event had; got {after}.");
        var take = McpErrors.Range(limit, "limit", 100, 1, MaxEventsLimit);
        await access.RequireAsync(user, Roles.Viewer, ProjectFrom.Session, id, cancellationToken);
        var events = await store.ReadSessionAsync(id, after ?? 0, take, cancellationToken);
        var next = events.Count == take ? events[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return JsonSerializer.Serialize(new ListResponse<EventEnvelope>(events, next), OverseerJson.Default.ListResponseEventEnvelope);
    }

    private async Task<string> CommandAsync(string id, Task<CommandResult> command, CancellationToken cancellationToken)
    {
        var result = await command;
        if (!result.Succeeded)
            throw McpErrors.From(result);
        return JsonSerializer.Serialize((await readModel.GetSessionAsync(id, cancellationToken))!, OverseerJson.Default.SessionDto);
    }
}
