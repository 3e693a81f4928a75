namespace Overseer.Contracts.WebSockets;

/// <summary>
/// Error codes only the WebSocket protocol uses. The rest (PROJECT_NOT_FOUND, INVALID_PATH,
/// INVALID_STATE, ...) are the REST API's <see cref="Api.ErrorCodes"/>, so a client learns one set.
/// </summary>
public static class WsErrorCodes
{
    public const string InvalidMessage = "INVALID_MESSAGE";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
    public const string RateLimited = "RATE_LIMITED";
    public const string ValidationFailed = "VALIDATION_FAILED";
    public const string SessionBusy = "SESSION_BUSY";
    public const string ExecutionTimeout = "EXECUTION_TIMEOUT";
    public const string TooManyProjects = "TOO_MANY_PROJECTS";
    public const string OriginNotAllowed = "ORIGIN_NOT_ALLOWED";
    public const string UpgradeRequired = "UPGRADE_REQUIRED";
    public const string TooManyUnauthenticated = "TOO_MANY_UNAUTHENTICATED";
}
