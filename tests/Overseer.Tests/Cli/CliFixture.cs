using Overseer.TestKit;

namespace Overseer.Tests.Cli;

/// <summary>
/// One real server (on a loopback socket) shared by a class of CLI tests, and a client home that
/// has logged in to it. The CLI itself always runs as a separate process.
/// </summary>
public sealed class CliFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public TestServer Server { get; private set; } = null!;
    public HttpClient Client => Server.Client;
    public CliEnvironment Cli { get; private set; } = null!;
    public string TempPath => _temp.Path;

    public string NewProjectDir() => _temp.Create(Path.Combine("projects", Guid.NewGuid().ToString("N")[..8]));

    /// <summary>A fresh home with no login, for tests about logging in.</summary>
    public CliEnvironment NewHome() => new(_temp.Create("home-" + Guid.NewGuid().ToString("N")[..8]));

    /// <summary>Writes a scripted runtime's script and answers its path.</summary>
    public string Script(string json)
    {
        var path = Path.Combine(_temp.Path, $"script-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public async Task InitializeAsync()
    {
        var projects = _temp.Create("projects");
        Server = await TestServer.StartAsync(Path.Combine(_temp.Path, "data"), projects);
        Cli = new CliEnvironment(_temp.Create("home"), NewProjectDir());
        var login = await Cli.RunAsync(["login", Server.Address.ToString(), "--token", Server.Token]);
        if (login.ExitCode != 0)
            throw new InvalidOperationException("overseer login failed: " + login);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}
