using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Tools;
using Overseer.Core.Sandbox;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Agents.Router;

/// <summary>
/// The <c>router</c> runtime: Overseer's own agent loop whose model is a <see cref="RouterModelClient"/>,
/// so each turn of one conversation goes to the route its rules choose (a local model for a question,
/// Claude for a change), and a failing route hands over to the next. Offered once
/// <see cref="RouterOptions.Routes"/> has one.
/// </summary>
internal sealed class RouterRuntime(
    IOptions<RouterOptions> options,
    IEnumerable<ILoopRuntime> runtimes,
    LoopConnections connections,
    ILogger<RouterRuntime> logger) : IAgentRuntime
{
    public const string RuntimeName = "router";

    private const string Version = "router (Overseer)";

    public string Name => RuntimeName;

    public bool Configured => options.Value.Enabled;

    public bool CanHibernate => true;

    /// <summary>Ready when one route is (the others are fallbacks); the detail lists each route's readiness.</summary>
    public RuntimeStatus Status
    {
        get
        {
            if (!Configured)
                return new RuntimeStatus(false, $"not configured: set {RouterOptions.Section}:Routes");
            var parts = new List<string>();
            var any = false;
            foreach (var (name, route) in options.Value.Routes)
            {
                var runtime = Find(route.Runtime);
                var status = runtime is null || !runtime.Configured
                    ? new RuntimeStatus(false, $"the {route.Runtime} runtime is not configured")
                    : runtime.Status;
                any |= status.Available;
                parts.Add($"route {name} ({route.Runtime} · {runtime?.Target(route.Model).Model ?? route.Model}): {(status.Available ? "ready" : "unavailable")}, {status.Detail}");
            }
            return new RuntimeStatus(any, string.Join("; ", parts));
        }
    }

    public string? Validate(JsonElement? script) =>
        script is { ValueKind: not JsonValueKind.Null } ? "script is only for the scripted runtime." : null;

    public async Task<IAgentConnection> StartAsync(AgentStartContext context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!Configured)
            throw new InvalidOperationException($"The router runtime is not configured: set {RouterOptions.Section}:Routes.");
        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var (name, route) in settings.Routes)
        {
            var runtime = Find(route.Runtime);
            if (runtime is null || !runtime.Configured)
                throw new InvalidOperationException($"The router's route {name} uses the {route.Runtime} runtime, which is not configured here.");
            routes[name] = new Route(name, route.Runtime, runtime.Target(route.Model));
        }
        var tools = connections.Tools(context, ToolLimits.Default);
        var first = routes[settings.DefaultRoute].Target;
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var route in routes.Values.Where(r => r.Target.Price is not null))
            prices.TryAdd(route.Target.Model, route.Target.Price!);
        // The conversation must fit every route it may move to: the smallest window counts.
        var loop = new LoopSettings(RuntimeName, Version, first.Model, routes.Values.Max(r => r.Target.MaxTokens), 0, routes.Values.Min(r => r.Target.ContextWindow),
            settings.CompactAt, settings.KeepRecent, settings.SummaryMaxTokens, settings.MaxContinuations, null, settings.PermissionMode == "plan", settings.Instructions, prices);
        var client = new RouterModelClient(settings, routes, context.Sink);
        return await connections.StartAsync(context, client, loop, tools, logger, cancellationToken);
    }

    private ILoopRuntime? Find(string name) => runtimes.FirstOrDefault(r => r.Name == name);
}
