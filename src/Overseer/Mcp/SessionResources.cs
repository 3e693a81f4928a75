using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Mcp;

/// <summary>
/// Each session as two MCP resources: <c>overseer://sessions/{id}/transcript</c> (Markdown) and
/// <c>overseer://sessions/{id}/events</c> (its latest events as JSON). Listed for the caller's
/// visible sessions, read under the viewer role in the session's project; a client subscribed to
/// one is sent <c>notifications/resources/updated</c> while the session runs (<see cref="McpResourceSubscriptions"/>).
/// </summary>
internal static class SessionResources
{
    public const string Scheme = "overseer://sessions/";
    public const string Transcript = "transcript";
    public const string Events = "events";
    private const int ListedSessions = 50;
    private const int TranscriptEvents = 5_000;
    private const int LatestEvents = 200;
    private const int MaxEventsRead = 20_000;

    public static ValueTask<ListResourceTemplatesResult> ListTemplatesAsync(RequestContext<ListResourceTemplatesRequestParams> context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ListResourceTemplatesResult
        {
            ResourceTemplates =
            [
                new ResourceTemplate { UriTemplate = Scheme + "{sessionId}/" + Transcript, Name = "session-transcript", Title = "Session transcript",
                    Description = "A session's transcript as Markdown: messages, the agent's text, tool calls and results, approvals and questions.", MimeType = "text/markdown" },
                new ResourceTemplate { UriTemplate = Scheme + "{sessionId}/" + Events, Name = "session-events", Title = "Session events",
                    Description = $"A session's latest {LatestEvents} events as JSON ({{\"items\": [...]}}), each with its seq, type and data.", MimeType = "application/json" },
            ],
        });

    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> context, CancellationToken cancellationToken)
    {
        var user = context.User ?? throw McpErrors.Of(ErrorCodes.Unauthorized, "No caller.");
        var services = context.Services!;
        var visible = await services.GetRequiredService<ProjectAccess>().VisibleProjectsAsync(user, cancellationToken);
        var page = await services.GetRequiredService<IReadModel>().ListSessionsAsync(new SessionQuery(Limit: ListedSessions, PromptPreview: 80, Projects: visible), cancellationToken);
        var resources = new List<Resource>();
        foreach (var session in page.Items)
        {
            var name = session.Title ?? session.Id;
            resources.Add(new Resource { Uri = Scheme + session.Id + "/" + Transcript, Name = session.Id + "-transcript", Title = $"{name} — transcript ({session.Status.ToWire()})", MimeType = "text/markdown" });
            resources.Add(new Resource { Uri = Scheme + session.Id + "/" + Events, Name = session.Id + "-events", Title = $"{name} — events ({session.Status.ToWire()})", MimeType = "application/json" });
        }
        return new ListResourcesResult { Resources = resources };
    }

    public static async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> context, CancellationToken cancellationToken)
    {
        var uri = context.Params?.Uri ?? throw McpErrors.Invalid("uri", "is required.");
        var (sessionId, kind) = Parse(uri);
        var user = context.User ?? throw McpErrors.Of(ErrorCodes.Unauthorized, "No caller.");
        var services = context.Services!;
        await services.GetRequiredService<McpAccess>().RequireAsync(user, Roles.Viewer, ProjectFrom.Session, sessionId, cancellationToken);
        var readModel = services.GetRequiredService<IReadModel>();
        var store = services.GetRequiredService<IEventStore>();
        var session = await readModel.GetSessionAsync(sessionId, cancellationToken) ?? throw McpErrors.Of(ErrorCodes.SessionNotFound, $"No session has id '{sessionId}'.");
        string text;
        if (kind == Transcript)
        {
            text = TranscriptMarkdown.Render(session, await store.ReadSessionAsync(sessionId, 0, TranscriptEvents, cancellationToken));
        }
        else
        {
            var last = await store.ReadSessionAsync(sessionId, 0, MaxEventsRead, cancellationToken);
            var latest = last.Count > LatestEvents ? last.Skip(last.Count - LatestEvents).ToList() : last;
            text = JsonSerializer.Serialize(new ListResponse<EventEnvelope>(latest, null), OverseerJson.Default.ListResponseEventEnvelope);
        }
        return new ReadResourceResult
        {
            Contents = [new TextResourceContents { Uri = uri, MimeType = kind == Transcript ? "text/markdown" : "application/json", Text = text }],
        };
    }

    /// <summary>The session and the kind a resource URI names; a URI of another shape is refused naming the shapes there are.</summary>
    public static (string SessionId, string Kind) Parse(string uri)
    {
        if (uri.StartsWith(Scheme, StringComparison.Ordinal))
        {
            var rest = uri[Scheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && rest[(slash + 1)..] is Transcript or Events && McpErrors.Id(rest[..slash], "uri") is { } id)
                return (id, rest[(slash + 1)..]);
        }
        throw McpErrors.Of(ErrorCodes.NotFound, $"No resource '{uri}': the resources are {Scheme}{{sessionId}}/{Transcript} and {Scheme}{{sessionId}}/{Events}.");
    }
}
