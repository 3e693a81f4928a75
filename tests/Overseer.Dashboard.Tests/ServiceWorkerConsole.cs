using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using Overseer.TestKit;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// Evaluates script inside the page's service worker through the Chrome DevTools Protocol (the
/// .NET Playwright API has no handle on service workers): attaches to the worker's target and
/// sends it Runtime.evaluate, awaiting promises and returning the value.
/// </summary>
internal sealed class ServiceWorkerConsole : IAsyncDisposable
{
    private readonly ICDPSession _cdp;
    private readonly string _session;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _replies = new();
    private int _nextId;

    private ServiceWorkerConsole(ICDPSession cdp, string session)
    {
        _cdp = cdp;
        _session = session;
        _cdp.Event("Target.receivedMessageFromTarget").OnEvent += (_, e) =>
        {
            if (e is not { } data)
                return;
            var message = JsonDocument.Parse(data.GetProperty("message").GetString()!).RootElement.Clone();
            if (message.TryGetProperty("id", out var id) && _replies.TryRemove(id.GetInt32(), out var reply))
                reply.TrySetResult(message);
        };
    }

    public static async Task<ServiceWorkerConsole> AttachAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var target = await Poll.UntilAsync(async () =>
        {
            var targets = (await cdp.SendAsync("Target.getTargets"))!.Value.GetProperty("targetInfos");
            return targets.EnumerateArray().Where(t => t.GetProperty("type").GetString() == "service_worker").Select(t => t.GetProperty("targetId").GetString()).FirstOrDefault();
        }, id => id is not null, TimeSpan.FromSeconds(20), "the service worker");
        var attached = await cdp.SendAsync("Target.attachToTarget", new Dictionary<string, object> { ["targetId"] = target!, ["flatten"] = false });
        return new ServiceWorkerConsole(cdp, attached!.Value.GetProperty("sessionId").GetString()!);
    }

    /// <summary>The value of <paramref name="expression"/> in the worker (a promise is awaited); throws with the worker's exception.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[id] = reply;
        var message = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["method"] = "Runtime.evaluate",
            ["params"] = new Dictionary<string, object> { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true },
        });
        await _cdp.SendAsync("Target.sendMessageToTarget", new Dictionary<string, object> { ["sessionId"] = _session, ["message"] = message });
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var result = answer.GetProperty("result");
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException("The service worker threw: " + exception.GetRawText());
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default;
    }

    public async ValueTask DisposeAsync() => await _cdp.DetachAsync();
}
