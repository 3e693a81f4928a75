using Overseer.TestKit.Anthropic;
using Overseer.TestKit.OpenAI;

namespace Overseer.Dashboard.Tests;

/// <summary>
/// The dashboard fixture with Overseer's own runtimes: anthropic (the TestKit's mock Messages API),
/// openai (the mock OpenAI-compatible server, a local model) and a router over both.
/// </summary>
public sealed class AnthropicDashboardFixture : DashboardFixture
{
    public const string LocalModel = "qwen2.5-coder:7b";

    public MockAnthropicServer Anthropic { get; private set; } = null!;

    public MockOpenAIServer Local { get; private set; } = null!;

    protected override async Task<Dictionary<string, string>> ServerEnvironmentAsync()
    {
        Anthropic = await MockAnthropicServer.StartAsync();
        Local = await MockOpenAIServer.StartAsync();
        return new Dictionary<string, string>
        {
            ["OVERSEER__Runtimes__Anthropic__BaseUrl"] = Anthropic.BaseUrl.ToString(),
            ["OVERSEER__Runtimes__Anthropic__ApiKey"] = "sk-dashboard-test",
            ["OVERSEER__Runtimes__OpenAI__BaseUrl"] = Local.BaseUrl,
            ["OVERSEER__Runtimes__OpenAI__Model"] = LocalModel,
            ["OVERSEER__Runtimes__Router__Routes__local__Runtime"] = "openai",
            ["OVERSEER__Runtimes__Router__Routes__claude__Runtime"] = "anthropic",
            ["OVERSEER__Runtimes__Router__Default"] = "local",
            ["OVERSEER__Runtimes__Router__Rules__0__Target"] = "claude",
            ["OVERSEER__Runtimes__Router__Rules__0__NeedsTools"] = "true",
            ["OVERSEER__Runtimes__Router__Fallback__0"] = "claude",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Anthropic is not null)
            await Anthropic.DisposeAsync();
        if (Local is not null)
            await Local.DisposeAsync();
    }
}
