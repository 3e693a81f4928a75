using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Overseer.Runtimes.Tests;

/// <summary>A web page on loopback for WebFetch and curl, counting who asked for it.</summary>
public sealed class PageServer : IAsyncDisposable
{
    public const string Html = "<html><head><title>Release notes</title><script>var hidden = 1;</script></head><body><h1>Release 4.2</h1><p>The widget now &amp; always spins.</p></body></html>";

    private WebApplication _app = null!;
    private int _hits;

    public Uri PageUrl { get; private set; } = null!;

    public int Hits => Volatile.Read(ref _hits);

    public static async Task<PageServer> StartAsync()
    {
        var server = new PageServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        server._app = builder.Build();
        server._app.MapGet("/notes", (HttpContext context) =>
        {
            Interlocked.Increment(ref server._hits);
            return Results.Content(Html, "text/html; charset=utf-8");
        });
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.PageUrl = new Uri(address.TrimEnd('/') + "/notes");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
