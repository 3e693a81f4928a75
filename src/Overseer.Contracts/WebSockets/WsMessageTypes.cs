namespace Overseer.Contracts.WebSockets;

/// <summary>The <c>type</c> of every message on <c>/ws</c> (seed 004's names, snake_case). Clients switch on these strings.</summary>
public static class WsMessageTypes
{
    // Client → server.
    public const string Auth = "auth";
    public const string ProjectCreate = "project_create";
    public const string ProjectList = "project_list";
    public const string ProjectDelete = "project_delete";
    public const string ProjectJoin = "project_join";
    public const string ProjectLeave = "project_leave";
    public const string Execute = "execute";
    public const string AgentKill = "agent_kill";
    public const string GetMessages = "get_messages";
    public const string Approve = "approve";
    public const string Deny = "deny";
    public const string Answer = "answer";
    public const string Ping = "ping";

    // Server → client.
    public const string AuthOk = "auth_ok";
    public const string ProjectState = "project_state";
    public const string ProjectListResponse = "project_list_response";
    public const string ProjectJoined = "project_joined";
    public const string ProjectLeft = "project_left";
    public const string ExecuteStarted = "execute_started";
    public const string AgentMessage = "agent_message";
    public const string Messages = "messages";
    public const string Ok = "ok";
    public const string Pong = "pong";
    public const string Error = "error";
}
