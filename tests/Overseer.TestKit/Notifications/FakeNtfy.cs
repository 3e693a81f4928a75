using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.Notifications;

/// <summary>An ntfy server that takes JSON publishes at its root and keeps them, with the bearer token they came with.</summary>
public sealed class FakeNtfy : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(JsonElement Message, string? Authorization)> _published = [];
    private LocalHttpServer _server = null!;

    public Uri BaseUrl => _server.BaseUrl;

    public IReadOnlyList<(JsonElement Message, string? Authorization)> Published { get { lock (_gate) return [.. _published]; } }

    public static async Task<FakeNtfy> StartAsync()
    {
        var ntfy = new FakeNtfy();
        ntfy._server = await LocalHttpServer.StartAsync(ntfy.HandleAsync);
        return ntfy;
    }

    public Task<IReadOnlyList<(JsonElement Message, string? Authorization)>> WaitForAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Published), p => p.Count >= count, TimeSpan.FromSeconds(20), $"{count} ntfy messages");

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LocalHttpServer.ReadBodyAsync(context.Request);
        using var json = JsonDocument.Parse(body);
        if (context.Request.Method != "POST" || context.Request.Path != "/" || !json.RootElement.TryGetProperty("topic", out _))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        lock (_gate)
            _published.Add((json.RootElement.Clone(), context.Request.Headers.Authorization.FirstOrDefault()));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"id\":\"abc\",\"event\":\"message\"}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
