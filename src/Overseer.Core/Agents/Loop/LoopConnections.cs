using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Mcp;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Agents.Loop;

/// <summary>
/// What every runtime on Overseer's own loop (anthropic, openai, router) does to start an agent:
/// the tools' view of the session (its files, sandbox, network and limits), the conversation read
/// back from the event log, and the session's MCP servers connected (stdio ones inside the
/// sandbox), their tools joined to the built-in ones under the same gate. A runtime brings only its
/// model client and settings.
/// </summary>
internal sealed class LoopConnections(
    IOptions<SandboxOptions> wall,
    IOptions<SessionOptions> sessions,
    IAgentSandbox sandbox,
    IEventStore store,
    IBlobReader blobs,
    ToolCatalog catalog,
    AgentMcpServers mcpServers,
    ILoggerFactory loggers,
    TimeProvider time)
{
    /// <summary>The session's tools; first, so a missing project directory fails before anything else.</summary>
    public ToolContext Tools(AgentStartContext context, ToolLimits limits)
    {
        if (!Directory.Exists(context.WorkingDirectory))
            throw new InvalidOperationException($"The project directory '{context.WorkingDirectory}' does not exist.");
        var settings = wall.Value;
        var network = settings.For(context.ProjectName).Network == NetworkAccess.Full;
        return new ToolContext(context.SessionId, context.ProjectName, new FileScope(context.WorkingDirectory, settings.ReadOnlyPaths, settings.GitConfigWritable),
            sandbox, context.Environment, network, limits, sessions.Value.AgentOwner);
    }

    public async Task<IAgentConnection> StartAsync(AgentStartContext context, IModelClient client, LoopSettings loop, ToolContext tools, ILogger logger,
        CancellationToken cancellationToken)
    {
        var transcript = await TranscriptLog.LoadAsync(store, blobs, context.SessionId, cancellationToken);
        var servers = mcpServers.For(context.ProjectId, context.ProjectName, context.Environment);
        if (servers.Count == 0)
            return new AgentLoopConnection(context, client, loop, catalog, tools, transcript, tools.Network, time, logger);
        var mcp = await McpToolSet.ConnectAsync(servers, context, sandbox, sessions.Value.AgentOwner, tools.Limits.MaxOutputChars, loggers, cancellationToken);
        return new AgentLoopConnection(context, client, loop, catalog.With(mcp.Tools), tools, transcript, tools.Network, time, logger, mcp);
    }
}
