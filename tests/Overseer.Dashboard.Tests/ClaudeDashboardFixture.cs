using Overseer.TestKit;
using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard fixture with the claude-code runtime: the real CLI against the TestKit's mock Anthropic API.</summary>
public sealed class ClaudeDashboardFixture : DashboardFixture
{
    public MockAnthropicServer Anthropic { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> ServerEnvironmentAsync()
    {
        Anthropic = await MockAnthropicServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["OVERSEER__Sessions__DefaultRuntime"] = "claude-code",
            ["OVERSEER__Runtimes__ClaudeCode__ExecutablePath"] = ClaudeCli.RequireExecutablePath(),
            ["OVERSEER__Runtimes__ClaudeCode__StopGracePeriod"] = "00:00:03",
        };
        var home = Path.Combine(Root, "home");
        Directory.CreateDirectory(home);
        foreach (var (key, value) in ClaudeCli.Environment(Anthropic.BaseUrl, home, maxRetries: 1))
            environment["OVERSEER__Runtimes__ClaudeCode__Environment__" + key.ToUpperInvariant()] = value;
        return environment;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Anthropic is not null)
            await Anthropic.DisposeAsync();
    }
}
