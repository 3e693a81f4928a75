namespace Overseer.WebSockets;

/// <summary>Settings of the <c>/ws</c> endpoint (section "WebSockets"), validated at start-up.</summary>
public sealed class WebSocketOptions
{
    public const string Section = "WebSockets";

    /// <summary>
    /// Browser origins (scheme://host[:port]) allowed besides the server's own listening addresses
    /// (and localhost on their port). A name the server is reached by, such as a reverse proxy's,
    /// must be listed here: the Host header alone is never trusted. "*" allows any, which hands
    /// every web page a user visits the user's socket: only for trusted networks.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Largest client message; a larger one is answered MESSAGE_TOO_LARGE and the socket closed (1009).</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Client messages a connection may send per minute (token bucket); past it each gets RATE_LIMITED.</summary>
    public int MessagesPerMinute { get; set; } = 600;

    /// <summary>How often the server pings the client at the WebSocket protocol level.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that sends nothing and answers no ping for this long is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time a connection without an Authorization header has to send its <c>auth</c> message; then it is closed (1008, "authentication timeout").</summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sockets without an Authorization header that may wait for their <c>auth</c> message at once; past it the upgrade answers 503.</summary>
    public int MaxUnauthenticatedConnections { get; set; } = 32;

    /// <summary>A turn started by <c>execute</c> that has not finished by then is interrupted and EXECUTION_TIMEOUT sent.</summary>
    public TimeSpan ExecuteTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Frames queued for one client; a broadcast that finds the queue full closes that client (1008).</summary>
    public int SendQueueCapacity { get; set; } = 1024;

    /// <summary>A single frame the client does not take within this time ends the connection.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Projects one connection may have joined at once.</summary>
    public int MaxJoinedProjects { get; set; } = 100;
}
