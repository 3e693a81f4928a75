using System.Net.WebSockets;
using System.Security.Claims;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.WebSockets;

namespace Overseer.WebSockets;

/// <summary>
/// One client socket: a receive loop that handles one message at a time, an outbox that writes,
/// and the feeds of the projects it has joined. A bad message costs the sender an error reply;
/// only a too-large message, a failed authentication or a client that stops reading closes it.
/// </summary>
internal sealed partial class WsConnection
{
    // How long a client has to answer our close frame before the socket is dropped.
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly WsServices _services;
    private readonly WebSocket _socket;
    private readonly WsOutbox _outbox;
    private readonly MessageRateLimit _rate;
    private readonly CancellationTokenSource _abort;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<string, ProjectFeed> _feeds = new(StringComparer.Ordinal);
    private readonly string? _remote;
    // Held until the socket authenticates or ends; see UnauthenticatedSlots.
    private readonly IDisposable? _unauthenticatedSlot;
    private byte[] _buffer = new byte[4096];
    private volatile ClaimsPrincipal? _user;
    // Closes the socket when its token is revoked or expires or its user loses access.
    private IDisposable? _access;

    public WsConnection(WsServices services, WebSocket socket, ClaimsPrincipal? user, IDisposable? unauthenticatedSlot, string? remote, CancellationToken requestAborted)
    {
        _services = services;
        _socket = socket;
        _user = user;
        _unauthenticatedSlot = unauthenticatedSlot;
        _remote = remote;
        var options = services.Options;
        _outbox = new WsOutbox(socket, options.SendQueueCapacity, options.SendTimeout);
        _rate = new MessageRateLimit(options.MessagesPerMinute, TimeProvider.System);
        _abort = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    }

    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    public bool IsAuthenticated => _user is not null;

    /// <summary>Whether the caller sees every project (admins and owners).</summary>
    public bool IsAdmin => _user is { } user && Contracts.Api.Roles.AtLeast(Api.Caller.Role(user), Contracts.Api.Roles.Admin);

    private string UserName => _user!.Name();

    /// <summary>Who this socket's decisions are recorded as: its user and token.</summary>
    private ActedBy Acting => _user!.ActedBy();

    /// <summary>Queues a broadcast without waiting; a client whose queue is full is closed rather than waited for.</summary>
    public void Offer(ReadOnlyMemory<byte> frame)
    {
        if (!_outbox.TrySend(frame) && !_outbox.IsClosing)
            RequestClose(WebSocketCloseStatus.PolicyViolation, "send queue full: the client is not reading");
    }

    public async Task RunAsync()
    {
        _services.Connections.Add(this);
        WsLog.Opened(_services.Logger, Id, _remote, _user?.Name() ?? "(not yet authenticated)");
        using var stopping = _services.Stopping.Register(() => RequestClose(WebSocketCloseStatus.EndpointUnavailable, "server shutting down"));
        using var authDeadline = new CancellationTokenSource();
        if (_user is null)
        {
            authDeadline.Token.Register(() => Refuse(null, $"No auth message within {_services.Options.AuthTimeout}: send {{\"type\":\"auth\",\"token\":\"...\"}} first, or connect with 'Authorization: Bearer <token>'.", AuthTimeoutReason));
            authDeadline.CancelAfter(_services.Options.AuthTimeout);
        }
        if (_user is { } user)
            WatchAccess(user);
        var writing = _outbox.RunAsync(_abort.Token);
        var reason = "the client closed the connection";
        try
        {
            await ReceiveLoopAsync(authDeadline, _abort.Token);
        }
        catch (OperationCanceledException)
        {
            reason = "aborted";
        }
        catch (WebSocketException ex)
        {
            reason = ex.Message;
            WsLog.ConnectionFailed(_services.Logger, ex, Id);
        }
        finally
        {
            _unauthenticatedSlot?.Dispose();
            _access?.Dispose();
            await _lifetime.CancelAsync();
            foreach (var feed in _feeds.Values)
                await feed.DisposeAsync();
            _feeds.Clear();
            _outbox.Close(WebSocketCloseStatus.NormalClosure, "");
            await writing;
            _services.Connections.Remove(this);
            _lifetime.Dispose();
            _abort.Dispose();
            WsLog.Closed(_services.Logger, Id, reason);
        }
    }

    private async Task ReceiveLoopAsync(CancellationTokenSource authDeadline, CancellationToken cancellationToken)
    {
        var max = _services.Options.MaxMessageBytes;
        while (true)
        {
            var (type, length) = await ReceiveAsync(max, cancellationToken);
            if (type == WebSocketMessageType.Close)
            {
                // Answer the client's close (or this was the answer to ours).
                _outbox.Close(WebSocketCloseStatus.NormalClosure, "");
                return;
            }
            if (_outbox.IsClosing)
                continue; // draining until the client answers our close frame
            if (length > max)
            {
                await SendErrorAsync(null, WsErrorCodes.MessageTooLarge, $"A message may be at most {max} bytes; this one was larger. The connection is closed (1009).", null, cancellationToken);
                RequestClose(WebSocketCloseStatus.MessageTooBig, "message too large");
                continue;
            }
            if (!_rate.TryTake())
            {
                await SendErrorAsync(null, WsErrorCodes.RateLimited, $"More than {_services.Options.MessagesPerMinute} messages a minute; this one was dropped. Slow down.", null, cancellationToken);
                continue;
            }
            if (type == WebSocketMessageType.Binary)
            {
                await SendErrorAsync(null, WsErrorCodes.InvalidMessage, "Messages are JSON text frames; binary frames are not accepted.", null, cancellationToken);
                continue;
            }
            var wasAuthenticated = IsAuthenticated;
            await HandleAsync(_buffer.AsMemory(0, length), cancellationToken);
            if (!wasAuthenticated && IsAuthenticated)
            {
                _unauthenticatedSlot?.Dispose();
                await authDeadline.CancelAsync(); // the callback sees the user and does nothing
            }
        }
    }

    /// <summary>Reads one whole message into the buffer; a length past <paramref name="max"/> means it was too large and was discarded.</summary>
    private async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(int max, CancellationToken cancellationToken)
    {
        var count = 0;
        var tooLarge = false;
        while (true)
        {
            if (count == _buffer.Length)
            {
                if (_buffer.Length > max)
                {
                    tooLarge = true;
                    count = 0; // keep reading, and overwriting, to the end of the message
                }
                else
                {
                    Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, max + 1));
                }
            }
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return (WebSocketMessageType.Close, 0);
            count += result.Count;
            if (result.EndOfMessage)
                return (result.MessageType, tooLarge ? max + 1 : count);
        }
    }

    /// <summary>Closes after what is already queued; drops the socket if the client does not answer in time.</summary>
    private void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (!_outbox.Close(status, reason))
            return;
        WsLog.Closing(_services.Logger, Id, reason);
        try
        {
            _abort.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>Registers the socket under its user and token: revoking either closes it (1008, with the reason).</summary>
    private void WatchAccess(ClaimsPrincipal user) =>
        _access = _services.Live.Register(user, reason => RequestClose(WebSocketCloseStatus.PolicyViolation, reason));

    /// <summary>The close reason of a socket that did not authenticate in time.</summary>
    public const string AuthTimeoutReason = "authentication timeout";

    /// <summary>Seed 004: anything but auth before authenticating gets UNAUTHORIZED and the socket is closed (1008).</summary>
    private void Refuse(string? id, string message, string reason = "unauthorized")
    {
        if (IsAuthenticated)
            return;
        _outbox.TrySend(WsFrames.Error(id, ErrorCodes.Unauthorized, message));
        RequestClose(WebSocketCloseStatus.PolicyViolation, reason);
    }

    private ValueTask SendAsync<T>(T message, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        _outbox.SendAsync(WsFrames.Of(message, typeInfo), cancellationToken);

    private ValueTask SendErrorAsync(string? id, string code, string message, string? field, CancellationToken cancellationToken, string? projectId = null, string? sessionId = null) =>
        _outbox.SendAsync(WsFrames.Error(id, code, message, field, projectId, sessionId), cancellationToken);
}
