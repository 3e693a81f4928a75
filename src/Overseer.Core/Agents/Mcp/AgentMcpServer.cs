namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// One MCP server for one agent start, its secrets resolved: what the claude-code runtime writes into
/// <c>--mcp-config</c> and what the anthropic runtime connects to. <see cref="SecretVariables"/> maps
/// each variable or header whose value came from the vault to the secret's name (the claude-code
/// runtime refers to it as <c>${NAME}</c> rather than putting the value on the command line).
/// </summary>
public sealed record AgentMcpServer(
    string Name,
    string? Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? Url,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyDictionary<string, string> SecretVariables);
