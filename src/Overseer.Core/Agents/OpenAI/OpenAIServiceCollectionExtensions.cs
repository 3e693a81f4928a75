using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Loop;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.OpenAI;

public static class OpenAIServiceCollectionExtensions
{
    /// <summary>The <c>openai</c> runtime (offered once <c>Runtimes:OpenAI:BaseUrl</c> is set), its settings validated at start-up.</summary>
    public static IServiceCollection AddOpenAIRuntime(this IServiceCollection services)
    {
        services.AddOptions<OpenAIOptions>().BindConfiguration(OpenAIOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OpenAIOptions>, OpenAIOptionsValidator>();
        services.AddSingleton<OpenAIKey>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OpenAIOptions>>();
            // A pool of its own, headers never logged (no client factory); a server that is down is
            // known within ConnectTimeout.
            var http = new HttpClient(new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                AutomaticDecompression = DecompressionMethods.All,
                ConnectTimeout = options.Value.ConnectTimeout,
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
            return new OpenAIModelClient(options, sp.GetRequiredService<OpenAIKey>(), http, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OpenAIModelClient>>());
        });
        services.AddAgentTools();
        services.AddSingleton<OpenAIRuntime>();
        services.AddSingleton<IAgentRuntime>(sp => sp.GetRequiredService<OpenAIRuntime>());
        services.AddSingleton<ILoopRuntime>(sp => sp.GetRequiredService<OpenAIRuntime>());
        services.AddHostedService<LoopRuntimesStartupCheck>();
        return services;
    }

    private sealed class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>
    {
        public ValidateOptionsResult Validate(string? name, OpenAIOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
