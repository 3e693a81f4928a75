using System.Collections.Concurrent;
using System.Security.Claims;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Streaming;

namespace Overseer.Mcp;

/// <summary>
/// MCP clients subscribed to a session's resources: each subscription follows the session's events on
/// the <see cref="EventHub"/> and sends <c>notifications/resources/updated</c> for its URI — once per
/// burst of events, not once per event — until it is unsubscribed, the session ends, the MCP session
/// goes away, or the caller's token is revoked (<see cref="LiveConnections"/>, like every stream).
/// </summary>
internal sealed partial class McpResourceSubscriptions(EventHub hub, LiveConnections live, ILogger<McpResourceSubscriptions> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(McpServer Server, string Uri), Subscription> _open = new();
    private readonly ILogger _logger = logger;

    public int Count => _open.Count;

    public async ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> context, CancellationToken cancellationToken)
    {
        var uri = context.Params?.Uri ?? throw McpErrors.Invalid("uri", "is required.");
        var (sessionId, _) = SessionResources.Parse(uri);
        var user = context.User ?? throw McpErrors.Of(ErrorCodes.Unauthorized, "No caller.");
        await context.Services!.GetRequiredService<McpAccess>().RequireAsync(user, Roles.Viewer, ProjectFrom.Session, sessionId, cancellationToken);
        var key = (context.Server, uri);
        var subscription = new Subscription(this, key, hub.Subscribe(new HashSet<string>(StringComparer.Ordinal) { sessionId }));
        if (!_open.TryAdd(key, subscription))
        {
            subscription.Stop();
            return new EmptyResult();
        }
        subscription.Start(live.Register(user, _ => subscription.Stop()));
        return new EmptyResult();
    }

    public ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> context, CancellationToken cancellationToken)
    {
        if (context.Params?.Uri is { } uri && _open.TryRemove((context.Server, uri), out var subscription))
            subscription.Stop();
        return ValueTask.FromResult(new EmptyResult());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, subscription) in _open)
            subscription.Stop();
        await Task.WhenAll(_open.Values.Select(s => s.Running));
        _open.Clear();
    }

    private sealed class Subscription(McpResourceSubscriptions owner, (McpServer Server, string Uri) key, HubSubscription events)
    {
        private readonly CancellationTokenSource _stop = new();
        private IDisposable? _registration;

        public Task Running { get; private set; } = Task.CompletedTask;

        public void Start(IDisposable registration)
        {
            _registration = registration;
            Running = RunAsync();
        }

        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private async Task RunAsync()
        {
            try
            {
                while (await events.Reader.WaitToReadAsync(_stop.Token))
                {
                    var ended = false;
                    // A burst of events is one notification: the client reads the resource again anyway.
                    while (events.Reader.TryRead(out var e))
                        ended |= e.Type is EventTypes.SessionCompleted or EventTypes.SessionFailed or EventTypes.SessionCancelled or EventTypes.SessionDeleted;
                    await key.Server.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification,
                        new ResourceUpdatedNotificationParams { Uri = key.Uri }, McpJsonUtilities.DefaultOptions, _stop.Token);
                    if (ended)
                        break;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException or McpException)
            {
                // The MCP session is gone: nobody to tell.
                LogSubscriptionEnded(owner._logger, key.Uri, ex.Message);
            }
            finally
            {
                owner._open.TryRemove(new KeyValuePair<(McpServer, string), Subscription>(key, this));
                events.Dispose();
                _registration?.Dispose();
                _stop.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP subscription to {Uri} ended: {Reason}")]
    private static partial void LogSubscriptionEnded(ILogger logger, string uri, string reason);
}
