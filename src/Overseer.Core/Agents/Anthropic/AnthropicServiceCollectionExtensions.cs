using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Anthropic;

public static class AnthropicServiceCollectionExtensions
{
    /// <summary>The <c>anthropic</c> runtime, its settings (validated at start-up) and its first readiness check.</summary>
    public static IServiceCollection AddAnthropicRuntime(this IServiceCollection services)
    {
        services.AddOptions<AnthropicOptions>().BindConfiguration(AnthropicOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AnthropicOptions>, AnthropicOptionsValidator>();
        services.AddSingleton<AnthropicKey>();
        services.AddSingleton(sp => new AnthropicModelClient(
            sp.GetRequiredService<IOptions<AnthropicOptions>>().Value,
            sp.GetRequiredService<AnthropicKey>(),
            // The library's calls: a pool of its own, headers never logged (no client factory).
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            sp.GetRequiredService<TimeProvider>()));
        services.AddAgentTools();
        services.AddSingleton<AnthropicRuntime>();
        services.AddSingleton<IAgentRuntime>(sp => sp.GetRequiredService<AnthropicRuntime>());
        services.AddSingleton<ILoopRuntime>(sp => sp.GetRequiredService<AnthropicRuntime>());
        services.AddHostedService<LoopRuntimesStartupCheck>();
        return services;
    }

    /// <summary>Names the setting that is wrong, so start-up fails with the reason.</summary>
    private sealed class AnthropicOptionsValidator : IValidateOptions<AnthropicOptions>
    {
        public ValidateOptionsResult Validate(string? name, AnthropicOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
