using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;

namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// The session's MCP servers for a runtime on Overseer's own loop (anthropic, openai, router):
/// connected when the agent starts (stdio ones inside the session's sandbox), their tools joined to
/// the built-in ones under the same gate. The connection owns the set and closes it with the agent.
/// </summary>
internal sealed class LoopMcpTools(AgentMcpServers servers, IAgentSandbox sandbox, IOptions<SessionOptions> sessions, ILoggerFactory loggers)
{
    public async Task<(ToolCatalog Catalog, IAsyncDisposable? Owned)> ConnectAsync(AgentStartContext context, ToolCatalog catalog, ToolContext tools,
        CancellationToken cancellationToken)
    {
        var list = servers.For(context.ProjectId, context.ProjectName, context.Environment);
        if (list.Count == 0)
            return (catalog, null);
        var set = await McpToolSet.ConnectAsync(list, context, sandbox, sessions.Value.AgentOwner, tools.Limits.MaxOutputChars, loggers, cancellationToken);
        return (catalog.With(set.Tools), set);
    }
}
