using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;

namespace Overseer.Core.Agents.Mcp;

/// <summary>
/// The MCP servers of one anthropic-runtime connection, connected with the C# MCP client: stdio ones
/// started inside the session's sandbox (as the claude-code runtime's CLI starts them inside its own),
/// with the session's environment and their own, HTTP ones with their headers. Their tools join the
/// loop's; disposing ends the servers.
/// </summary>
internal sealed class McpToolSet : IAsyncDisposable
{
    private readonly List<McpClient> _clients = [];
    private readonly List<SandboxedAgent> _walls = [];

    public List<IAgentTool> Tools { get; } = [];

    public static async Task<McpToolSet> ConnectAsync(IReadOnlyList<AgentMcpServer> servers, AgentStartContext context, IAgentSandbox sandbox,
        string? agentOwner, int maxOutputChars, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var set = new McpToolSet();
        try
        {
            foreach (var server in servers)
            {
                var transport = server.Url is { } url
                    ? (IClientTransport)new HttpClientTransport(new HttpClientTransportOptions
                    {
                        Endpoint = new Uri(url),
                        Name = server.Name,
                        TransportMode = HttpTransportMode.AutoDetect,
                        AdditionalHeaders = server.Headers.ToDictionary(h => h.Key, h => h.Value),
                    }, loggers)
                    : set.Stdio(server, context, sandbox, agentOwner, loggers);
                McpClient client;
                try
                {
                    client = await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new() { Name = "overseer", Version = "1" } }, loggers, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"MCP server '{server.Name}' did not start: {ex.Message}", ex);
                }
                set._clients.Add(client);
                foreach (var tool in await client.ListToolsAsync(cancellationToken: cancellationToken))
                    set.Tools.Add(new McpAgentTool(server.Name, tool, maxOutputChars));
            }
            return set;
        }
        catch
        {
            await set.DisposeAsync();
            throw;
        }
    }

    private StdioClientTransport Stdio(AgentMcpServer server, AgentStartContext context, IAgentSandbox sandbox, string? agentOwner, ILoggerFactory loggers)
    {
        // A bare name is looked up on PATH, as a shell would: the sandbox binds the program by its path.
        var executable = ExecutableResolver.Find(server.Command!)
            ?? throw new InvalidOperationException($"MCP server '{server.Name}': the program '{server.Command}' was not found.");
        var start = new ProcessStartInfo(executable) { WorkingDirectory = context.WorkingDirectory, UseShellExecute = false };
        var env = start.Environment;
        foreach (var key in env.Keys.Where(k => k.StartsWith("OVERSEER", StringComparison.OrdinalIgnoreCase)).ToList())
            env.Remove(key);
        foreach (var (key, value) in context.Environment)
            env[key] = value;
        foreach (var (key, value) in server.Env)
            env[key] = value;
        // Marked as the server's, so none outlives a crash; not as the session's, whose mark ends
        // whatever a Bash command leaves running after it.
        if (agentOwner is not null)
            env[OrphanReaper.OwnerVariable] = agentOwner;
        var walled = sandbox.Wrap(start, executable, server.Args, new SandboxRequest(context.SessionId, context.ProjectName, context.WorkingDirectory));
        _walls.Add(walled);
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = server.Name,
            Command = start.FileName,
            Arguments = [.. start.ArgumentList],
            WorkingDirectory = context.WorkingDirectory,
            InheritEnvironmentVariables = false,
            EnvironmentVariables = env.ToDictionary(e => e.Key, e => e.Value),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }, loggers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The server is gone already.
            }
        }
        _clients.Clear();
        foreach (var wall in _walls)
            wall.Dispose();
        _walls.Clear();
    }
}
