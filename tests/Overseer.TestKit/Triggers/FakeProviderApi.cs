using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Overseer.TestKit.Notifications;

namespace Overseer.TestKit.Triggers;

/// <summary>
/// A stand-in for GitHub's and GitLab's REST APIs on loopback: every request is recorded (method,
/// path, headers, JSON body) and answered as the real API answers a new comment (201 with
/// GitHub's <c>html_url</c> and an <c>id</c>), unless told to fail the next requests (502).
/// </summary>
public sealed class FakeProviderApi : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ProviderRequest> _requests = [];
    private LocalHttpServer _server = null!;
    private int _failNext;
    private int _failed;

    private FakeProviderApi()
    {
    }

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:41234/api/v3</c> (a self-hosted instance's shape).</summary>
    public string BaseUrl => new Uri(_server.BaseUrl, "api/v3").ToString();

    /// <summary>Requests answered 201, in arrival order.</summary>
    public IReadOnlyList<ProviderRequest> Requests { get { lock (_gate) return [.. _requests]; } }

    /// <summary>Requests refused because of <see cref="FailNext"/>.</summary>
    public int Failed => Volatile.Read(ref _failed);

    public void FailNext(int count) => Interlocked.Exchange(ref _failNext, count);

    public static async Task<FakeProviderApi> StartAsync()
    {
        var api = new FakeProviderApi();
        api._server = await LocalHttpServer.StartAsync(api.HandleAsync);
        return api;
    }

    public Task<IReadOnlyList<ProviderRequest>> WaitForAsync(int count, TimeSpan? timeout = null) =>
        Poll.UntilAsync(() => Task.FromResult(Requests), r => r.Count >= count, timeout ?? TimeSpan.FromSeconds(30), $"{count} request(s) to the fake provider API");

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LocalHttpServer.ReadBodyAsync(context.Request);
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            Interlocked.Increment(ref _failed);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync("{\"message\": \"upstream is down\"}");
            return;
        }
        Interlocked.Exchange(ref _failNext, 0);
        int id;
        lock (_gate)
        {
            _requests.Add(new ProviderRequest(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone()));
            id = 1000 + _requests.Count;
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"id\": {id}, \"html_url\": \"https://github.example/comments/{id}\"}}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>One request the fake provider API received.</summary>
public sealed record ProviderRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, JsonElement Body)
{
    /// <summary>The comment's text (both providers take <c>{"body": "..."}</c>).</summary>
    public string CommentBody => Body.GetProperty("body").GetString()!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
