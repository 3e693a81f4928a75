using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Agents.OpenAI;

/// <summary>
/// The <c>openai</c> runtime: Overseer's own agent loop (<see cref="AgentLoopConnection"/>) on an
/// OpenAI-compatible chat-completions endpoint — a local model server or a hosted API — with the
/// same tools, gate and sandbox as the <c>anthropic</c> runtime. Offered only when
/// <see cref="OpenAIOptions.BaseUrl"/> is set.
/// </summary>
internal sealed class OpenAIRuntime : ILoopRuntime
{
    public const string RuntimeName = "openai";

    private const string Version = "chat completions (Overseer's client)";

    private readonly IOptions<OpenAIOptions> _options;
    private readonly OpenAIModelClient _client;
    private readonly ReadinessMonitor _readiness;
    private readonly TimeProvider _time;
    private readonly LoopConnections _connections;
    private readonly ILogger<OpenAIRuntime> _logger;

    public OpenAIRuntime(IOptions<OpenAIOptions> options, OpenAIModelClient client, LoopConnections connections, TimeProvider time, ILogger<OpenAIRuntime> logger)
    {
        _connections = connections;
        _options = options;
        _client = client;
        _time = time;
        _logger = logger;
        _readiness = new ReadinessMonitor(RuntimeName, ct => client.CheckReadinessAsync(options.Value.Model, ct), () => options.Value.ReadinessInterval, time, logger);
    }

    public string Name => RuntimeName;

    public bool Configured => _options.Value.Enabled;

    public RuntimeStatus Status => Configured ? _readiness.Current : new RuntimeStatus(false, $"not configured: set {OpenAIOptions.Section}:BaseUrl");

    public bool CanHibernate => true;

    public string? Validate(JsonElement? script) =>
        script is { ValueKind: not JsonValueKind.Null } ? "script is only for the scripted runtime." : null;

    public void BeginReadinessCheck() => _readiness.Begin();

    public ModelTarget Target(string? model)
    {
        var settings = _options.Value;
        var name = string.IsNullOrWhiteSpace(model) ? settings.Model : model;
        var price = settings.ModelNamed(name) is { } p ? new ModelPrice(p.InputPerMTok, p.OutputPerMTok, p.CacheReadPerMTok, 0m) : null;
        return new ModelTarget(_client, name, price, settings.ContextWindowOf(name), settings.MaxTokens);
    }

    public async Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        if (!Configured)
            throw new InvalidOperationException($"The openai runtime is not configured: set {OpenAIOptions.Section}:BaseUrl.");
        var settings = _options.Value;
        var tools = _connections.Tools(context, ToolLimits.Default);
        var target = Target(context.Model);
        var loop = new LoopSettings(RuntimeName, Version, target.Model, settings.MaxTokens, 0, target.ContextWindow,
            settings.CompactAt, settings.KeepRecent, settings.SummaryMaxTokens, settings.MaxContinuations, target.Price, settings.PermissionMode == "plan", settings.Instructions);
        return await _connections.StartAsync(context, _client, loop, tools, _logger, cancellationToken);
    }
}
