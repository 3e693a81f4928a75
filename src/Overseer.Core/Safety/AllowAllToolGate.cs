using Overseer.Core.Agents;

namespace Overseer.Core.Safety;

/// <summary>The permissive default until the safety policy is configured.</summary>
public sealed class AllowAllToolGate : IToolGate
{
    private static readonly Task<ToolDecision> Allow = Task.FromResult(new ToolDecision(true, "no safety policy is configured"));

    public Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken) => Allow;
}
