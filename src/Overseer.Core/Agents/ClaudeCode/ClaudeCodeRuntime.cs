using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;

namespace Overseer.Core.Agents.ClaudeCode;

/// <summary>
/// The real Claude Code CLI, driven over its stream-json control protocol: one process per
/// session, kept between turns; a conversation outlives its process through <c>--resume</c>.
/// </summary>
public sealed class ClaudeCodeRuntime(IOptions<ClaudeCodeOptions> options, IOptions<SessionOptions> sessionOptions, IAgentSandbox sandbox, Mcp.AgentMcpServers mcpServers, ILogger<ClaudeCodeRuntime> logger) : IAgentRuntime
{
    public const string RuntimeName = "claude-code";

    private readonly Lazy<RuntimeStatus> _status = new(() => Probe(options.Value.ExecutablePath));

    public string Name => RuntimeName;

    public RuntimeStatus Status => _status.Value;

    /// <summary>The CLI keeps its own transcript; <c>--resume</c> continues it in a new process.</summary>
    public bool CanHibernate => true;

    public string? Validate(JsonElement? script) =>
        script is { ValueKind: not JsonValueKind.Null } ? "script is only for the scripted runtime." : null;

    public Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        var executable = ExecutableResolver.Find(options.Value.ExecutablePath)
            ?? throw new InvalidOperationException(
                $"The claude CLI was not found ('{options.Value.ExecutablePath}'). Install it with 'npm install -g @anthropic-ai/claude-code' or set Runtimes:ClaudeCode:ExecutablePath.");
        if (!Directory.Exists(context.WorkingDirectory))
            throw new InvalidOperationException($"The project directory '{context.WorkingDirectory}' does not exist.");
        // The session's MCP servers, and no other: --mcp-config with --strict-mcp-config.
        context = context with { McpServers = mcpServers.For(context.ProjectId, context.ProjectName, context.Environment) };
        return Task.FromResult<IAgentConnection>(ClaudeCodeConnection.Start(context, options.Value, executable, sessionOptions.Value.AgentOwner, sandbox, logger));
    }

    /// <summary>Runs <c>claude --version</c> once, for /health and doctor.</summary>
    private static RuntimeStatus Probe(string configured)
    {
        var executable = ExecutableResolver.Find(configured);
        if (executable is null)
            return new RuntimeStatus(false, $"'{configured}' not found");
        try
        {
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("--version");
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
            {
                process.Kill(entireProcessTree: true);
                return new RuntimeStatus(false, $"'{executable} --version' did not answer");
            }
            var version = output.GetAwaiter().GetResult().Trim();
            return process.ExitCode == 0
                ? new RuntimeStatus(true, version.Length > 0 ? version : executable)
                : new RuntimeStatus(false, $"'{executable} --version' exited with {process.ExitCode}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return new RuntimeStatus(false, ex.Message);
        }
    }
}
