using Overseer.Storage;

namespace Overseer.Triggers;

public static class TriggersServiceCollectionExtensions
{
    /// <summary>Triggers: their rules and catalog, the hook receiver, and the worker that posts results back.</summary>
    public static IServiceCollection AddTriggers(this IServiceCollection services)
    {
        services.AddOptions<TriggerOptions>().BindConfiguration(TriggerOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<TriggerOptions>, TriggerOptionsValidator>();
        services.AddSingleton<TriggerRules>();
        services.AddSingleton<TriggerCatalog>();
        services.AddSingleton<HookReceiver>();
        services.AddSingleton<PostbackSignal>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<PostbackSignal>());
        services.AddSingleton<PostbackComment>();
        services.AddSingleton<ProviderClient>();
        services.AddHostedService<TriggerPostbacks>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(TriggerJson.Default));
        return services;
    }

    /// <summary>The API's routes and the public hook endpoint.</summary>
    public static IEndpointRouteBuilder MapTriggers(this IEndpointRouteBuilder app)
    {
        app.MapTriggerHooks();
        return app;
    }
}
