namespace Overseer.WebSockets;

internal static partial class WsLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} opened from {Remote} (user {User})")]
    public static partial void Opened(ILogger logger, string connectionId, string? remote, string user);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} closed: {Reason}")]
    public static partial void Closed(ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "WebSocket upgrade refused: origin {Origin} is not allowed")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "WebSocket {ConnectionId} closing: {Reason}")]
    public static partial void Closing(ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "WebSocket {ConnectionId}: handling '{Type}' failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string connectionId, string type);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "WebSocket {ConnectionId}: the feed of project {ProjectId} failed")]
    public static partial void FeedFailed(ILogger logger, Exception exception, string connectionId, string projectId);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Execution of session {SessionId} exceeded {Timeout}; interrupting it")]
    public static partial void ExecutionTimedOut(ILogger logger, string sessionId, TimeSpan timeout);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "WebSocket upgrade refused: {Max} sockets are already waiting to authenticate")]
    public static partial void TooManyUnauthenticated(ILogger logger, int max);
}
