using Overseer.Core.Agents;

namespace Overseer.Core.Safety;

/// <summary>
/// The gate until the tiered safety policy is configured: one decision for every tool call,
/// <c>Safety:DefaultDecision</c> (allow by default, so the scripted demo and trusted setups work).
/// </summary>
public sealed class DefaultToolGate(bool allow = true) : IToolGate
{
    private readonly Task<ToolDecision> _decision = Task.FromResult(allow
        ? new ToolDecision(true, "allowed by the default decision (no safety policy is configured)")
        : new ToolDecision(false, "denied by the default decision (no safety policy is configured)"));

    public Task<ToolDecision> DecideAsync(ToolGateRequest request, CancellationToken cancellationToken) => _decision;
}
