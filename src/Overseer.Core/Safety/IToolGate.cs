using Overseer.Core.Agents;

namespace Overseer.Core.Safety;

/// <summary>
/// The seam every tool call of every runtime passes before it runs. The tiered policy and the
/// approval queue plug in here; until then <see cref="DefaultToolGate"/> decides.
/// </summary>
public interface IToolGate
{
    Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken);
}

public sealed record ToolGateRequest(string SessionId, string ProjectId, string ProjectPath, ToolRequest Tool);
