using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Mcp;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;
using Overseer.Storage;


namespace Overseer.Core.Agents.Anthropic;

/// <summary>
/// The <c>anthropic</c> runtime: Overseer's own agent loop (<see cref="AgentLoopConnection"/>) on the
/// Anthropic Messages API, with Claude Code's built-in tools run here, commands in the session's
/// sandbox. A connection keeps no state the event log does not hold, so sessions hibernate and
/// survive restarts.
/// </summary>
internal sealed class AnthropicRuntime(
    IOptions<AnthropicOptions> options,
    IOptions<SandboxOptions> sandboxOptions,
    IOptions<SessionOptions> sessionOptions,
    AnthropicModelClient client,
    AnthropicKey key,
    AnthropicReadiness readiness,
    ToolCatalog catalog,
    IAgentSandbox sandbox,
    IEventStore store,
    IBlobReader blobs,
    TimeProvider time,
    AgentMcpServers mcpServers,
    ILoggerFactory loggers,
    ILogger<AnthropicRuntime> logger) : IAgentRuntime
{
    public const string RuntimeName = "anthropic";

    /// <summary>What <c>agent.started</c> reports as the agent's version: the client library's.</summary>
    private static readonly string Version =
        (typeof(global::Anthropic.AnthropicClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?") + " (Anthropic .NET SDK)";

    public string Name => RuntimeName;

    public RuntimeStatus Status => readiness.Current;

    /// <summary>The conversation is the event log: a new connection reads it back.</summary>
    public bool CanHibernate => true;

    public string? Validate(JsonElement? script) =>
        script is { ValueKind: not JsonValueKind.Null } ? "script is only for the scripted runtime." : null;

    public async Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(context.WorkingDirectory))
            throw new InvalidOperationException($"The project directory '{context.WorkingDirectory}' does not exist.");
        var settings = options.Value;
        if ((await key.ResolveAsync(cancellationToken)).Key is null)
            throw new InvalidOperationException($"No Anthropic API key: set {AnthropicOptions.Section}:ApiKey, or store it in the vault as {settings.ApiKeySecret}.");
        var transcript = await TranscriptLog.LoadAsync(store, blobs, context.SessionId, cancellationToken);
        var model = string.IsNullOrWhiteSpace(context.Model) ? settings.Model : context.Model;
        var price = settings.Prices.TryGetValue(model, out var p) ? new ModelPrice(p.InputPerMTok, p.OutputPerMTok, p.CacheReadPerMTok, p.CacheWritePerMTok) : null;
        var wall = sandboxOptions.Value;
        var network = wall.For(context.ProjectName).Network == NetworkAccess.Full;
        var limits = new ToolLimits(settings.BashTimeout, settings.BashMaxTimeout, settings.MaxToolOutputChars, ToolLimits.Default.MaxReadLines,
            ToolLimits.Default.MaxReadBytes, settings.WebFetchMaxBytes, settings.WebFetchTimeout, ToolLimits.Default.MaxSearchResults);
        var tools = new ToolContext(context.SessionId, context.ProjectName, new FileScope(context.WorkingDirectory, wall.ReadOnlyPaths, wall.GitConfigWritable),
            sandbox, context.Environment, network, limits, sessionOptions.Value.AgentOwner);
        var loop = new LoopSettings(RuntimeName, Version, model, settings.MaxTokens, settings.ThinkingBudgetTokens, settings.ContextWindowOf(model),
            settings.CompactAt, settings.KeepRecent, settings.SummaryMaxTokens, settings.MaxContinuations, price, settings.PermissionMode == "plan", settings.Instructions);
        // The session's MCP servers: their tools join the built-in ones, under the same gate.
        var servers = mcpServers.For(context.ProjectId, context.ProjectName, context.Environment);
        var mcp = servers.Count == 0 ? null
            : await McpToolSet.ConnectAsync(servers, context, sandbox, sessionOptions.Value.AgentOwner, settings.MaxToolOutputChars, loggers, cancellationToken);
        return new AgentLoopConnection(context, client, loop, mcp is null ? catalog : catalog.With(mcp.Tools), tools, transcript, network, time, logger, mcp);
    }
}
