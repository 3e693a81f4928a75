using System.Text.Json;

namespace Overseer.Core.Agents;

/// <summary>Stands in for a runtime a stored session names but this server does not offer.</summary>
internal sealed class MissingRuntime(string name) : IAgentRuntime
{
    public string Name => name;

    public RuntimeStatus Status => new(false, "not available on this server");

    public bool CanHibernate => false;

    public string? Validate(JsonElement? script) => $"runtime '{name}' is not available";

    public Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"The runtime '{name}' is not available on this server.");
}
