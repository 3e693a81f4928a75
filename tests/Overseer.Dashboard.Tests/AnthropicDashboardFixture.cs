using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard fixture with the anthropic runtime, talking to the TestKit's mock Messages API.</summary>
public sealed class AnthropicDashboardFixture : DashboardFixture
{
    public MockAnthropicServer Anthropic { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> ServerEnvironmentAsync()
    {
        Anthropic = await MockAnthropicServer.StartAsync();
        return new Dictionary<string, string>
        {
            ["OVERSEER__Runtimes__Anthropic__BaseUrl"] = Anthropic.BaseUrl.ToString(),
            ["OVERSEER__Runtimes__Anthropic__ApiKey"] = "sk-dashboard-test",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Anthropic is not null)
            await Anthropic.DisposeAsync();
    }
}
