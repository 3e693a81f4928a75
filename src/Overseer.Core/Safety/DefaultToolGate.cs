using Overseer.Core.Agents;

namespace Overseer.Core.Safety;

/// <summary>One fixed decision for every tool call: for embedding the engine without a policy, and for tests.</summary>
public sealed class DefaultToolGate(bool allow = true) : IToolGate
{
    private readonly Task<ToolDecision> _decision = Task.FromResult(allow
        ? new ToolDecision(true, "allowed: no safety policy in this setup")
        : new ToolDecision(false, "denied: no safety policy in this setup"));

    public Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken) => _decision;
}
