using Microsoft.Extensions.Options;

namespace Overseer.Core.Agents.Mcp;

/// <summary>Fails start-up with every problem of <c>Mcp:Servers</c> named, one per line.</summary>
internal sealed class AgentMcpOptionsValidator : IValidateOptions<AgentMcpOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentMcpOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
