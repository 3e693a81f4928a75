using Overseer.TestKit;

namespace Overseer.Tests;

/// <summary>A test class with its own server, data directory and project root.</summary>
public abstract class ServerTest : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    protected TestServer Server { get; private set; } = null!;
    protected HttpClient Client => Server.Client;
    protected string DataDir => Path.Combine(_temp.Path, "data");
    protected string ProjectsRoot => Path.Combine(_temp.Path, "projects");

    /// <summary>Extra configuration for this class's server.</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected string NewProjectDir(string? name = null) => _temp.Create(Path.Combine("projects", name ?? Guid.NewGuid().ToString("N")[..8]));

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(ProjectsRoot);
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings);
    }

    protected async Task RestartAsync()
    {
        await Server.DisposeAsync();
        Server = await TestServer.StartAsync(DataDir, ProjectsRoot, Settings);
    }

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}
