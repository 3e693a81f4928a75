using System.Text.Json;
using System.Text.Json.Serialization;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.WebSockets;

// Server → client messages. Id echoes the client's correlation id on a direct reply and is
// absent on broadcasts.

/// <summary>A project as the WebSocket protocol shows it: seed 004's state plus the session it comes from.</summary>
/// <param name="State"><see cref="ProjectStates"/>: IDLE, EXECUTING or ERROR.</param>
/// <param name="SessionId">The project's current session: its newest one, unless that has been completed or cancelled.</param>
public sealed record WsProject(string Id, string Name, string Path, DateTimeOffset CreatedAt, string State, string? SessionId, SessionStatus? SessionStatus);

public sealed record WsError(string? Id, string Code, string Message, string? Field = null, string? ProjectId = null, string? SessionId = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Error;
}

public sealed record WsAuthOk(string? Id, string User)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.AuthOk;
}

public sealed record WsProjectState(string? Id, WsProject Project, bool? Deleted = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectState;
}

public sealed record WsProjectListResponse(string? Id, IReadOnlyList<WsProject> Projects)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectListResponse;
}

public sealed record WsProjectJoined(string? Id, WsProject Project, string? SessionId)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectJoined;
}

public sealed record WsProjectLeft(string? Id, string ProjectId)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectLeft;
}

/// <param name="NewSession">True when the prompt started a new session; false when it went to the current one as a follow-up.</param>
public sealed record WsExecuteStarted(string? Id, string ProjectId, string SessionId, bool NewSession)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ExecuteStarted;
}

/// <summary>
/// One stored event of a joined project. <paramref name="Event"/> is the envelope exactly as
/// the SSE stream carries it (seq included). The server writes this frame itself around the
/// envelope's cached JSON; the record documents the shape and lets clients read it.
/// </summary>
public sealed record WsAgentMessage(string ProjectId, string SessionId, JsonElement Event)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.AgentMessage;
}

public sealed record WsMessages(string? Id, string ProjectId, IReadOnlyList<EventEnvelope> Events, bool HasMore)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Messages;
}

public sealed record WsOk(string? Id)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Ok;
}

public sealed record WsPong(string? Id)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Pong;
}
