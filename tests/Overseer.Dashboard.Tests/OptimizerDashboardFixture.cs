using Overseer.TestKit.Anthropic;

namespace Overseer.Dashboard.Tests;

/// <summary>The dashboard fixture with the prompt optimiser configured against the TestKit's mock Anthropic API.</summary>
public sealed class OptimizerDashboardFixture : DashboardFixture
{
    public MockAnthropicServer Anthropic { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> ServerEnvironmentAsync()
    {
        Anthropic = await MockAnthropicServer.StartAsync();
        Anthropic.EveryMessageIsConversation = true;
        return new Dictionary<string, string>
        {
            ["OVERSEER__Prompts__Optimizer__BaseUrl"] = Anthropic.BaseUrl.ToString(),
            ["OVERSEER__Prompts__Optimizer__ApiKey"] = "sk-ant-dashboard-test",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Anthropic is not null)
            await Anthropic.DisposeAsync();
    }
}
