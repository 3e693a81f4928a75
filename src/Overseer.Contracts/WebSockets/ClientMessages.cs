using System.Text.Json;
using System.Text.Json.Serialization;

namespace Overseer.Contracts.WebSockets;

// Client → server messages. Every field is nullable so a missing one is reported by name
// (INVALID_MESSAGE, field) instead of failing inside the serializer. Type is computed so a
// client that serialises these records sends the right one; the server dispatches on it first.

public sealed record WsAuth(string? Id, string? Token)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Auth;
}

public sealed record WsProjectCreate(string? Id, string? Path, string? Name = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectCreate;
}

public sealed record WsProjectList(string? Id)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectList;
}

public sealed record WsProjectDelete(string? Id, string? ProjectId)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectDelete;
}

/// <param name="After">Resume position: only events with a greater global seq are sent.</param>
public sealed record WsProjectJoin(string? Id, string? ProjectId, long? After = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectJoin;
}

public sealed record WsProjectLeave(string? Id, string? ProjectId)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.ProjectLeave;
}

/// <param name="Runtime">Used only when a new session is created, as are <paramref name="Model"/> and <paramref name="Script"/>.</param>
public sealed record WsExecute(string? Id, string? ProjectId, string? Prompt, string? Runtime = null, string? Model = null, JsonElement? Script = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Execute;
}

public sealed record WsAgentKill(string? Id, string? ProjectId)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.AgentKill;
}

public sealed record WsGetMessages(string? Id, string? ProjectId, long? After = null, DateTimeOffset? Since = null, int? Limit = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.GetMessages;
}

public sealed record WsApprove(string? Id, string? ApprovalId, string? Confirm = null, string? Remember = null)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Approve;
}

public sealed record WsDeny(string? Id, string? ApprovalId, string? Reason = null, bool Hibernate = false)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Deny;
}

public sealed record WsAnswer(string? Id, string? QuestionId, Dictionary<string, JsonElement>? Answers)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Answer;
}

public sealed record WsPing(string? Id)
{
    [JsonPropertyOrder(-1)] public string Type => WsMessageTypes.Ping;
}
