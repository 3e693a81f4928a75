using System.Text.RegularExpressions;

namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// MCP servers Overseer gives its agents (<c>Mcp:Servers:{name}:…</c>): a program started over stdio
/// (<see cref="AgentMcpServerOptions.Command"/>, <see cref="AgentMcpServerOptions.Args"/>,
/// <see cref="AgentMcpServerOptions.Env"/>) or a streamable HTTP <see cref="AgentMcpServerOptions.Url"/>
/// with <see cref="AgentMcpServerOptions.Headers"/>. A value written <c>secret:NAME</c> is the vault
/// secret NAME, read only when the agent starts and only when it is granted to the session's project.
/// </summary>
public sealed partial class AgentMcpOptions
{
    public const string Section = "Mcp";

    public Dictionary<string, AgentMcpServerOptions> Servers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every problem with the configured servers, for start-up validation.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, server) in Servers)
        {
            var where = $"{Section}:Servers:{name}";
            if (!NamePattern().IsMatch(name))
                yield return $"{where}: a server's name is 1 to 40 letters, digits, '-' or '_' (the model calls its tools mcp__{{name}}__{{tool}}).";
            var stdio = !string.IsNullOrWhiteSpace(server.Command);
            var http = !string.IsNullOrWhiteSpace(server.Url);
            if (stdio == http)
                yield return $"{where}: give Command (a program started over stdio) or Url (a streamable HTTP server), not {(stdio ? "both" : "neither")}.";
            if (http && (!Uri.TryCreate(server.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                yield return $"{where}:Url must be an absolute http or https URL.";
            foreach (var key in server.Env.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
                yield return $"{where}:Env has an invalid variable name '{key}'.";
            foreach (var value in server.Env.Values.Concat(server.Headers.Values))
                if (AgentMcpServers.SecretName(value) is "")
                    yield return $"{where}: 'secret:' must be followed by a secret's name.";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex NamePattern();
}

public sealed class AgentMcpServerOptions
{
    public string? Command { get; set; }
    public List<string> Args { get; set; } = [];
    public Dictionary<string, string> Env { get; set; } = new(StringComparer.Ordinal);
    public string? Url { get; set; }
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The projects (names or ids) whose agents get this server; empty: every project's.</summary>
    public List<string> Projects { get; set; } = [];
}
