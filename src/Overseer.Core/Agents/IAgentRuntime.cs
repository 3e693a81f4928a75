using System.Text.Json;

namespace Overseer.Core.Agents;

/// <summary>A kind of agent (claude-code, scripted, ...). Registered in DI; chosen per session by name.</summary>
public interface IAgentRuntime
{
    string Name { get; }

    /// <summary>Checks runtime-specific session options before anything is stored; returns the problem or null.</summary>
    string? Validate(JsonElement? script);

    /// <summary>For <c>/health</c>: whether the runtime can start agents here, and its version.</summary>
    RuntimeStatus Status { get; }

    /// <summary>
    /// Whether an idle agent's process may be stopped and the conversation continued later in a
    /// new one (<see cref="AgentStartContext.Resume"/>), as if it had never stopped. Sessions of a
    /// runtime that cannot keep its agents' processes until they are closed.
    /// </summary>
    bool CanHibernate { get; }

    /// <summary>False when the runtime's settings leave it off (openai without an endpoint, a router without routes): the server does not offer it.</summary>
    bool Configured => true;

    /// <summary>Starts the agent. The first turn begins with <see cref="IAgentConnection.SendAsync"/>.</summary>
    Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken);
}

public sealed record RuntimeStatus(bool Available, string Detail);

public sealed record AgentStartContext(
    string SessionId,
    string WorkingDirectory,
    string? Model,
    JsonElement? Script,
    string? AgentSessionId,
    bool Resume,
    IReadOnlyDictionary<string, string> Environment,
    IAgentSink Sink,
    string ProjectName = "",
    string ProjectId = "",
    IReadOnlyList<Mcp.AgentMcpServer>? McpServers = null);
