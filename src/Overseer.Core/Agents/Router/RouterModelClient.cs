using System.Runtime.CompilerServices;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Events;
using Overseer.Core.Agents.Loop;

namespace Overseer.Core.Agents.Router;

/// <summary>
/// One router session's model: each turn is routed (<see cref="RoutePolicy"/>) to a route's
/// client, and every call of the turn goes there with the whole conversation, so the routes share
/// one conversation. A call that fails before it has streamed anything — rate-limited, 5xx, a
/// timeout, a server that is down — goes to the next route of the fallback chain, which then
/// keeps the rest of the turn; the choice and each fallback are events. Failing everywhere fails
/// the call with every route's reason.
/// </summary>
internal sealed class RouterModelClient(RouterOptions options, IReadOnlyDictionary<string, Route> routes, IAgentSink sink) : ITurnAwareModelClient
{
    private readonly Lock _gate = new();
    private List<Route> _chain = [];

    public string Provider => "router";

    public async ValueTask BeginTurnAsync(string message, CancellationToken cancellationToken)
    {
        var choice = RoutePolicy.Choose(message, options, name => routes[name].Target.Price is { } p ? p.InputPerMTok + p.OutputPerMTok : null);
        var chosen = routes[choice.Route];
        lock (_gate)
            _chain = [chosen, .. options.Fallback.Where(f => f != chosen.Name).Select(f => routes[f])];
        await EmitAsync(EventTypes.RuntimeRouted, new RuntimeRoutedData(chosen.Name, chosen.Runtime, chosen.Target.Model, choice.Reason), OverseerJson.Default.RuntimeRoutedData, cancellationToken);
    }

    public async IAsyncEnumerable<ModelStreamEvent> StreamAsync(ModelRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<Route> chain;
        lock (_gate)
            chain = _chain.Count > 0 ? _chain : [routes[options.DefaultRoute]];
        var failures = new List<(Route Route, ModelException Error)>();
        request = request with { Messages = WithoutOverrides(request.Messages) };
        for (var i = 0; i < chain.Count; i++)
        {
            var route = chain[i];
            var call = request with { Model = route.Target.Model, MaxTokens = Math.Min(request.MaxTokens, route.Target.MaxTokens) };
            await using var stream = route.Target.Client.StreamAsync(call, cancellationToken).GetAsyncEnumerator(cancellationToken);
            ModelStreamEvent? first = null;
            ModelException? failure = null;
            try
            {
                // Until the first event, nothing of this route's answer is out: another route may still answer.
                if (await stream.MoveNextAsync())
                    first = stream.Current;
            }
            catch (ModelException ex) when (ex is ModelUnavailableException or ModelRateLimitedException)
            {
                failure = ex;
            }
            if (failure is not null)
            {
                failures.Add((route, failure));
                if (i + 1 == chain.Count)
                    throw Exhausted(failures);
                var next = chain[i + 1];
                await EmitAsync(EventTypes.RuntimeFallback, new RuntimeFallbackData(route.Name, next.Name, failure.Message), OverseerJson.Default.RuntimeFallbackData, cancellationToken);
                lock (_gate)
                    _chain = [.. chain.Skip(i + 1)];
                continue;
            }
            if (first is null)
                yield break;
            yield return Named(first, route);
            while (await stream.MoveNextAsync())
                yield return Named(stream.Current, route);
            yield break;
        }
    }

    /// <summary>The router's readiness is its routes'; a session's calls check nothing here.</summary>
    public Task<ModelReadiness> CheckReadinessAsync(string model, CancellationToken cancellationToken) =>
        Task.FromResult(new ModelReadiness(true, true, true, "the router's routes are checked one by one"));

    /// <summary>Usage is priced by the route's model name, whatever the provider calls it.</summary>
    private static ModelStreamEvent Named(ModelStreamEvent item, Route route) =>
        item is ModelMessageStarted started ? started with { Model = route.Target.Model } : item;

    private static ModelException Exhausted(List<(Route Route, ModelException Error)> failures)
    {
        var message = "Every route failed: " + string.Join("; ", failures.Select(f => $"{f.Route}: {f.Error.Message}"));
        // Only rate limits: the session waits for the soonest and tries again.
        if (failures.All(f => f.Error is ModelRateLimitedException))
        {
            var wait = failures.Select(f => ((ModelRateLimitedException)f.Error).RetryAfter).Where(w => w is not null).Min();
            return new ModelRateLimitedException(message, wait, overloaded: false);
        }
        return new ModelUnavailableException(message);
    }

    /// <summary>The conversation without the <c>@route</c> that chose a turn's route: the model reads the message only.</summary>
    private IReadOnlyList<ChatMessage> WithoutOverrides(IReadOnlyList<ChatMessage> messages)
    {
        if (!options.AllowOverrides)
            return messages;
        return [.. messages.Select(m => m.Role != ChatRole.User ? m : m with
        {
            Parts = [.. m.Parts.Select(p => p is TextPart text ? new TextPart(RoutePolicy.WithoutOverride(text.Text, options)) : p)],
        })];
    }

    private ValueTask EmitAsync<T>(string type, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, CancellationToken cancellationToken) =>
        sink.EmitAsync(new AgentFact(type, JsonSerializer.SerializeToElement(data, info)), cancellationToken);
}
