using Overseer.Storage;

namespace Overseer.Streaming;

public static class StreamingServiceCollectionExtensions
{
    public static IServiceCollection AddStreaming(this IServiceCollection services)
    {
        services.AddOptions<StreamingOptions>().BindConfiguration(StreamingOptions.Section)
            .Validate(o => o.SubscriberBuffer >= 16, "Streaming:SubscriberBuffer must be at least 16.")
            .Validate(o => o.CatchUpPageSize is >= 1 and <= 10_000, "Streaming:CatchUpPageSize must be between 1 and 10000.")
            .Validate(o => o.Heartbeat > TimeSpan.Zero, "Streaming:Heartbeat must be positive.")
            .ValidateOnStart();
        services.AddSingleton<EventHub>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<EventHub>());
        services.AddSingleton<EventStreamReader>();
        services.AddSingleton<SessionProjects>();
        services.AddSingleton<StreamVisibility>();
        return services;
    }
}
