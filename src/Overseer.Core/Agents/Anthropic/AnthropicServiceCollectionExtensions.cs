using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
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
        services.AddSingleton(sp => new AnthropicReadiness(sp.GetRequiredService<AnthropicModelClient>(), sp.GetRequiredService<IOptions<AnthropicOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<AnthropicReadiness>>()));
        services.AddSingleton(_ => new ToolCatalog(new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { { "User-Agent", "Overseer-WebFetch/1.0" } },
        }));
        services.AddSingleton<IAgentRuntime, AnthropicRuntime>();
        services.AddHostedService<AnthropicStartupCheck>();
        return services;
    }

    /// <summary>Names the setting that is wrong, so start-up fails with the reason.</summary>
    private sealed class AnthropicOptionsValidator : IValidateOptions<AnthropicOptions>
    {
        public ValidateOptionsResult Validate(string? name, AnthropicOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }

    /// <summary>Starts the first readiness check with the server, so <c>/health</c> has an answer soon.</summary>
    private sealed class AnthropicStartupCheck(AnthropicReadiness readiness) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            readiness.Begin();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
