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
internal sealed class AnthropicRuntime : ILoopRuntime
{
    public const string RuntimeName = "anthropic";

    /// <summary>What <c>agent.started</c> reports as the agent's version: the client library's.</summary>
    private static readonly string Version =
        (typeof(global::Anthropic.AnthropicClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?") + " (Anthropic .NET SDK)";

    private readonly IOptions<AnthropicOptions> _options;
    private readonly AnthropicModelClient _client;
    private readonly AnthropicKey _key;
    private readonly ReadinessMonitor _readiness;
    private readonly TimeProvider _time;
    private readonly LoopConnections _connections;
    private readonly ILogger<AnthropicRuntime> _logger;

    public AnthropicRuntime(IOptions<AnthropicOptions> options, AnthropicModelClient client, AnthropicKey key, LoopConnections connections,
        TimeProvider time, ILogger<AnthropicRuntime> logger)
    {
        _connections = connections;
        _options = options;
        _client = client;
        _key = key;
        _time = time;
        _logger = logger;
        _readiness = new ReadinessMonitor(RuntimeName, ct => client.CheckReadinessAsync(options.Value.Model, ct), () => options.Value.ReadinessInterval, time, logger);
    }

    public string Name => RuntimeName;

    public RuntimeStatus Status => _readiness.Current;

    /// <summary>The conversation is the event log: a new connection reads it back.</summary>
    public bool CanHibernate => true;

    public string? Validate(JsonElement? script) =>
        script is { ValueKind: not JsonValueKind.Null } ? "script is only for the scripted runtime." : null;

    public void BeginReadinessCheck() => _readiness.Begin();

    public ModelTarget Target(string? model)
    {
        var settings = _options.Value;
        var name = string.IsNullOrWhiteSpace(model) ? settings.Model : model;
        var price = settings.Prices.TryGetValue(name, out var p) ? new ModelPrice(p.InputPerMTok, p.OutputPerMTok, p.CacheReadPerMTok, p.CacheWritePerMTok) : null;
        return new ModelTarget(_client, name, price, settings.ContextWindowOf(name), settings.MaxTokens);
    }

    public async Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var limits = new ToolLimits(settings.BashTimeout, settings.BashMaxTimeout, settings.MaxToolOutputChars, ToolLimits.Default.MaxReadLines,
            ToolLimits.Default.MaxReadBytes, settings.WebFetchMaxBytes, settings.WebFetchTimeout, ToolLimits.Default.MaxSearchResults);
        var tools = _connections.Tools(context, limits);
        if ((await _key.ResolveAsync(cancellationToken)).Key is null)
            throw new InvalidOperationException($"No Anthropic API key: set {AnthropicOptions.Section}:ApiKey, or store it in the vault as {settings.ApiKeySecret}.");
        var target = Target(context.Model);
        var loop = new LoopSettings(RuntimeName, Version, target.Model, settings.MaxTokens, settings.ThinkingBudgetTokens, target.ContextWindow,
            settings.CompactAt, settings.KeepRecent, settings.SummaryMaxTokens, settings.MaxContinuations, target.Price, settings.PermissionMode == "plan", settings.Instructions);
        return await _connections.StartAsync(context, _client, loop, tools, _logger, cancellationToken);
    }
}
