using System.Diagnostics;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// Builds the CLI's process start: argv only (user text never passes through a shell), the
/// project as working directory, an environment without Overseer's own settings, and settings
/// that come from Overseer alone. The sandbox then wraps it.
/// </summary>
internal static class ClaudeCommandLine
{
    /// <summary>
    /// The CLI's <c>--mcp-config</c> for Overseer's list of servers. A value from the vault is written
    /// as <c>${NAME}</c>, which the CLI expands from its environment (where the granted secret is),
    /// so no secret is on a command line another process could read.
    /// </summary>
    internal static string McpConfig(IReadOnlyList<Mcp.AgentMcpServer> servers)
    {
        var root = new System.Text.Json.Nodes.JsonObject();
        foreach (var server in servers)
        {
            System.Text.Json.Nodes.JsonObject Values(IReadOnlyDictionary<string, string> values)
            {
                var o = new System.Text.Json.Nodes.JsonObject();
                foreach (var (key, value) in values)
                    o[key] = server.SecretVariables.TryGetValue(key, out var secret) ? "${" + secret + "}" : value;
                return o;
            }
            root[server.Name] = server.Url is { } url
                ? new System.Text.Json.Nodes.JsonObject { ["type"] = "http", ["url"] = url, ["headers"] = Values(server.Headers) }
                : new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "stdio",
                    ["command"] = server.Command,
                    ["args"] = new System.Text.Json.Nodes.JsonArray([.. server.Args.Select(a => (System.Text.Json.Nodes.JsonNode?)a)]),
                    ["env"] = Values(server.Env),
                };
        }
        return new System.Text.Json.Nodes.JsonObject { ["mcpServers"] = root }.ToJsonString();
    }

    public static (ProcessStartInfo Start, List<string> Arguments) Build(AgentStartContext context, ClaudeCodeOptions options, string executable, string? owner)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = context.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        var args = new List<string>
        {
            "-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--permission-prompt-tool", "stdio",
            // Settings, hooks and MCP servers come from Overseer, never from files in the project
            // the agent can write (.claude/settings*.json, .mcp.json): only the user settings,
            // which the sandbox provides read-only, and no MCP server Overseer did not name.
            "--setting-sources", "user", "--strict-mcp-config",
        };
        if ((context.Model ?? options.Model) is { Length: > 0 } model)
        {
            args.Add("--model");
            args.Add(model);
        }
        if (options.PermissionMode is { Length: > 0 } mode)
        {
            args.Add("--permission-mode");
            args.Add(mode);
        }
        if (context.Resume && context.AgentSessionId is { Length: > 0 } agentSession)
        {
            args.Add("--resume");
            args.Add(agentSession);
        }
        if (context.McpServers is { Count: > 0 } servers)
        {
            args.Add("--mcp-config");
            args.Add(McpConfig(servers));
        }
        foreach (var extra in options.ExtraArgs)
            args.Add(extra);

        var env = start.Environment;
        foreach (var key in env.Keys.Where(k => k.StartsWith("OVERSEER", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        foreach (var (key, value) in options.Environment)
            env[key] = value;
        foreach (var (key, value) in context.Environment)
            env[key] = value;
        // The CLI connects to MCP servers in the background by default, and a first turn that comes
        // before them finds "no such tool": with Overseer's servers it waits for them (still bounded by
        // MCP_TIMEOUT), unless the configured environment says otherwise.
        if (context.McpServers is { Count: > 0 } && !env.ContainsKey("MCP_CONNECTION_NONBLOCKING"))
            env["MCP_CONNECTION_NONBLOCKING"] = "false";
        // Marks every process the agent starts, so none can outlive the session or the server.
        env[OrphanReaper.SessionVariable] = context.SessionId;
        if (owner is not null)
            env[OrphanReaper.OwnerVariable] = owner;
        return (start, args);
    }
}
