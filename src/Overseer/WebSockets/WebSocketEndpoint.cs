using Overseer.Auth;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Contracts.WebSockets;

namespace Overseer.WebSockets;

/// <summary>
/// <c>/ws</c>: seed 004's WebSocket protocol on Overseer's engine. The upgrade is refused with a
/// problem detail for a foreign Origin (403) or a bad Authorization header (401); a socket opened
/// without a header must authenticate with its first message, within WebSockets:AuthTimeout, and
/// at most WebSockets:MaxUnauthenticatedConnections such sockets may wait at once (beyond, 503).
/// A token is never read from the URL, where proxies and browser history would keep it.
/// </summary>
public static class WebSocketEndpoint
{
    public const string Path = "/ws";

    public static WebApplication MapOverseerWebSocket(this WebApplication app)
    {
        app.UseWebSockets();
        // The upgrade is open; the socket authenticates in its protocol and checks each message's permission itself.
        app.Map(Path, HandleAsync).Public();
        return app;
    }

    private static async Task HandleAsync(HttpContext context, WsServices services, UnauthenticatedSlots unauthenticated, ServerOrigins serverOrigins)
    {
        var options = services.Options;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(context, StatusCodes.Status426UpgradeRequired, WsErrorCodes.UpgradeRequired, $"{Path} speaks WebSocket only; connect with a WebSocket client.");
            return;
        }
        if (!OriginPolicy.IsAllowed(context.Request.Headers.Origin, serverOrigins, options.AllowedOrigins))
        {
            WsLog.OriginRefused(services.Logger, context.Request.Headers.Origin.ToString());
            await Problems.Write(context, StatusCodes.Status403Forbidden, WsErrorCodes.OriginNotAllowed,
                $"Origin '{context.Request.Headers.Origin}' may not open this socket; add it to WebSockets:AllowedOrigins.");
            return;
        }
        var hasHeader = context.Request.Headers.Authorization.Count > 0;
        if (hasHeader && context.User.Identity?.IsAuthenticated != true)
        {
            await Problems.Write(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "The Authorization header does not carry a valid API token ('Bearer <token>').");
            return;
        }
        using var slot = hasHeader ? null : unauthenticated.TryTake(options.MaxUnauthenticatedConnections);
        if (!hasHeader && slot is null)
        {
            WsLog.TooManyUnauthenticated(services.Logger, options.MaxUnauthenticatedConnections);
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.AuthTimeout.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, WsErrorCodes.TooManyUnauthenticated,
                $"{options.MaxUnauthenticatedConnections} sockets are already waiting to authenticate; try again shortly, or connect with 'Authorization: Bearer <token>'.");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            // A peer that answers no ping for this long is gone: the socket is aborted.
            KeepAliveTimeout = options.IdleTimeout,
        });
        var connection = new WsConnection(services, socket, hasHeader ? context.User : null, slot, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
        await connection.RunAsync();
    }
}
