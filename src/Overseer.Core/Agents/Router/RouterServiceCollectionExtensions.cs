using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Overseer.Core.Agents.Tools;

namespace Overseer.Core.Agents.Router;

public static class RouterServiceCollectionExtensions
{
    /// <summary>The <c>router</c> runtime (offered once <c>Runtimes:Router:Routes</c> has one), its settings validated at start-up.</summary>
    public static IServiceCollection AddRouterRuntime(this IServiceCollection services)
    {
        services.AddOptions<RouterOptions>().BindConfiguration(RouterOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RouterOptions>, RouterOptionsValidator>();
        services.AddAgentTools();
        services.AddSingleton<IAgentRuntime, RouterRuntime>();
        return services;
    }

    private sealed class RouterOptionsValidator : IValidateOptions<RouterOptions>
    {
        public ValidateOptionsResult Validate(string? name, RouterOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
