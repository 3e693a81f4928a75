using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Overseer.Hosting;

namespace Overseer.TestKit;

/// <summary>
/// A real Overseer server in this process, on a real loopback socket, with its own data
/// directory and an allowed project root. Start another on the same data directory to restart.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private TestServer(WebApplication app, string dataDir, string projectsRoot, Uri address, string token)
    {
        App = app;
        DataDir = dataDir;
        ProjectsRoot = projectsRoot;
        Address = address;
        Token = token;
        Client = CreateClient();
    }

    public WebApplication App { get; }
    public string DataDir { get; }
    public string ProjectsRoot { get; }
    public Uri Address { get; }
    public string Token { get; }

    /// <summary>An HTTP client that sends the admin token.</summary>
    public HttpClient Client { get; }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public static async Task<TestServer> StartAsync(string dataDir, string projectsRoot, IDictionary<string, string?>? settings = null, Microsoft.Extensions.Logging.ILoggerProvider? logs = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Projects:AllowedRoots:0"] = projectsRoot,
            ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("OVERSEER_TEST_LOG_LEVEL") ?? "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var app = OverseerServer.Build(new ServeOptions(dataDir, "http://127.0.0.1:0", all), builder =>
        {
            if (logs is null)
                return;
            // Every level goes to the capture (and only there: the console would drown in it).
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter((_, _) => true);
            builder.Configuration["Logging:LogLevel:Default"] = "Trace";
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDir, "admin.token"))).Trim();
        return new TestServer(app, dataDir, projectsRoot, new Uri(address), token);
    }

    public HttpClient CreateClient(string? token = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = Address,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return client;
    }

    public async Task StopAsync()
    {
        await App.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
