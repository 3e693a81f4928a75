using Microsoft.AspNetCore.Http;
using Overseer.TestKit.Notifications;

namespace Overseer.TestKit.Monitoring;

/// <summary>
/// A service for monitoring to watch: a real HTTP server on a fixed loopback port that a test stops
/// and starts again, or tells to flap (fail every other request). It counts the requests it answered.
/// </summary>
public sealed class WatchedService : IAsyncDisposable
{
    private LocalHttpServer? _server;
    private int _requests;

    private WatchedService(int port) => Port = port;

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/health");

    public bool Running => _server is not null;

    /// <summary>When set, answers alternate 500 and 200.</summary>
    public bool Flapping { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<WatchedService> StartAsync()
    {
        var service = new WatchedService(ServerProcess.FreePort());
        await service.StartAgainAsync();
        return service;
    }

    public async Task StartAgainAsync() => _server ??= await LocalHttpServer.StartAsync(HandleAsync, Port);

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var n = Interlocked.Increment(ref _requests);
        var fail = Flapping && n % 2 == 1;
        context.Response.StatusCode = fail ? 500 : 200;
        await context.Response.WriteAsync(fail ? "broken" : "healthy");
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
