using ModelContextProtocol.Client;
using Overseer.Contracts.Api;
using Overseer.TestKit;

namespace Overseer.Tests.Mcp;

/// <summary>
/// One server for the MCP tests of a class: a project, an operator and a viewer who are members of
/// it, and MCP clients (the official C# SDK over streamable HTTP) with each one's token.
/// </summary>
public sealed class McpFixture : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();

    public TestServer Server { get; private set; } = null!;
    public ProjectDto Project { get; private set; } = null!;
    public string OperatorToken { get; private set; } = "";
    public string ViewerToken { get; private set; } = "";
    public Uri Endpoint => new(Server.Address, "/mcp");

    public async Task InitializeAsync()
    {
        var projects = Path.Combine(_temp.Path, "projects");
        Directory.CreateDirectory(projects);
        Server = await TestServer.StartAsync(Path.Combine(_temp.Path, "data"), projects);
        Project = await Server.Client.CreateProjectAsync(_temp.Create(Path.Combine("projects", "api")), "api");
        OperatorToken = await TestUsers.AddAsync(Server, "olga", Roles.Operator, Project.Id);
        ViewerToken = await TestUsers.AddAsync(Server, "victor", Roles.Viewer, Project.Id);
    }

    public Task<McpClient> ConnectAsync(string token) => McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = Endpoint,
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }));

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _temp.Dispose();
    }
}
