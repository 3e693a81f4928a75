using Microsoft.Extensions.Options;

namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// The MCP servers an agent of a project gets, with <c>secret:NAME</c> values taken from the session's
/// environment — which holds exactly the vault secrets granted to its project. A secret that is not
/// granted stops the agent from starting with a sentence naming it, rather than starting the server
/// without it.
/// </summary>
public sealed class AgentMcpServers(IOptions<AgentMcpOptions> options)
{
    public const string SecretPrefix = "secret:";

    /// <summary>The secret a value names (<c>secret:NAME</c>), "" for a bare prefix, or null for a plain value.</summary>
    public static string? SecretName(string value) =>
        value.StartsWith(SecretPrefix, StringComparison.Ordinal) ? value[SecretPrefix.Length..].Trim() : null;

    public IReadOnlyList<AgentMcpServer> For(string projectId, string projectName, IReadOnlyDictionary<string, string> environment)
    {
        var servers = new List<AgentMcpServer>();
        foreach (var (name, server) in options.Value.Servers.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (server.Projects.Count > 0 && !server.Projects.Contains(projectId, StringComparer.Ordinal) && !server.Projects.Contains(projectName, StringComparer.Ordinal))
                continue;
            var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
            servers.Add(new AgentMcpServer(name, server.Command, server.Args,
                Resolve(name, server.Env, environment, secrets), server.Url, Resolve(name, server.Headers, environment, secrets), secrets));
        }
        return servers;
    }

    private static Dictionary<string, string> Resolve(string server, Dictionary<string, string> values, IReadOnlyDictionary<string, string> environment, Dictionary<string, string> secrets)
    {
        var resolved = new Dictionary<string, string>(values.Comparer);
        foreach (var (key, value) in values)
        {
            if (SecretName(value) is not { } secret)
            {
                resolved[key] = value;
                continue;
            }
            resolved[key] = environment.TryGetValue(secret, out var granted)
                ? granted
                : throw new InvalidOperationException($"MCP server '{server}' needs the vault secret {secret} for {key}, and it is not granted to this project.");
            secrets[key] = secret;
        }
        return resolved;
    }
}
