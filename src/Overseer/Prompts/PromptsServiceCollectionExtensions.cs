namespace Overseer.Prompts;

public static class PromptsServiceCollectionExtensions
{
    /// <summary>The prompt optimiser and its settings (validated at start-up).</summary>
    public static IServiceCollection AddPrompts(this IServiceCollection services)
    {
        services.AddOptions<PromptOptimizerOptions>().BindConfiguration(PromptOptimizerOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<PromptOptimizerOptions>, PromptOptimizerOptionsValidator>();
        services.AddSingleton<AnthropicMessages>();
        services.AddSingleton<PromptOptimizer>();
        return services;
    }
}
