using Microsoft.Extensions.Options;
using Overseer.Auth;
using Overseer.Core.Sessions;
using Overseer.Core.Workspaces;
using Overseer.Storage;
using Overseer.Streaming;

namespace Overseer.WebSockets;

/// <summary>What every connection works with: the engine, the store, the hub and the other connections.</summary>
internal sealed class WsServices(
    IEventStore store,
    IReadModel readModel,
    EventStreamReader reader,
    SessionManager sessions,
    ProjectRegistry projects,
    ProjectViews views,
    SessionProjects index,
    WsConnections connections,
    TokenPrincipals principals,
    ProjectAccess access,
    ApprovalRights approvalRights,
    LiveConnections live,
    IOptions<WebSocketOptions> options,
    IOptions<StreamingOptions> streaming,
    IHostApplicationLifetime lifetime,
    ILogger<WsConnection> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public IEventStore Store => store;
    public IReadModel ReadModel => readModel;
    public EventStreamReader Reader => reader;
    public SessionManager Sessions => sessions;
    public ProjectRegistry Projects => projects;
    public ProjectViews Views => views;
    public SessionProjects Index => index;
    public WsConnections Connections => connections;
    public TokenPrincipals Principals => principals;
    public ProjectAccess Access => access;
    public ApprovalRights ApprovalRights => approvalRights;
    public LiveConnections Live => live;
    public WebSocketOptions Options => options.Value;
    public int CatchUpPageSize => streaming.Value.CatchUpPageSize;
    public CancellationToken Stopping => lifetime.ApplicationStopping;
    public ILogger Logger => logger;

    /// <summary>One execute at a time per project, so two clients cannot both start a session for it.</summary>
    public SemaphoreSlim ExecuteGate(string projectId) => _gates.GetOrAdd(projectId, _ => new SemaphoreSlim(1, 1));
}
