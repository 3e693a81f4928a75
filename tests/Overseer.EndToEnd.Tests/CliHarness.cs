using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.EndToEnd.Tests;

/// <summary>
/// One test's world: a mock API, a private HOME and a project directory, and the CLI processes
/// started in it. Disposing kills the processes and deletes the directories, pass or fail.
/// </summary>
internal sealed class CliHarness : IAsyncDisposable
{
    private readonly List<ClaudeProcess> _processes = [];
    private readonly TempDirectory _root;

    private CliHarness(string executable, MockAnthropicServer api, TempDirectory root)
    {
        Executable = executable;
        Api = api;
        _root = root;
        Home = root.Create("home");
        Project = root.Create("project");
    }

    public string Executable { get; }
    public MockAnthropicServer Api { get; }
    public string Home { get; }
    public string Project { get; }

    /// <summary>CLAUDE_CODE_MAX_RETRIES for processes started from now on.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Fails (never skips) when the CLI is not installed, saying how to install it.</summary>
    public static async Task<CliHarness> CreateAsync()
    {
        var executable = ClaudeCli.RequireExecutablePath();
        var api = await MockAnthropicServer.StartAsync();
        return new CliHarness(executable, api, new TempDirectory());
    }

    public ClaudeProcess Start(params string[] extraArguments)
    {
        var process = ClaudeProcess.Start(Executable, Project, ClaudeCli.Environment(Api.BaseUrl, Home, MaxRetries), extraArguments);
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var process in _processes)
                await process.DisposeAsync();
            await Api.DisposeAsync();
        }
        finally
        {
            _root.Dispose();
        }
    }
}
