namespace Overseer.WebSockets;

public static class WebSocketServiceCollectionExtensions
{
    public static IServiceCollection AddOverseerWebSockets(this IServiceCollection services)
    {
        services.AddOptions<WebSocketOptions>().BindConfiguration(WebSocketOptions.Section)
            .Validate(o => o.AllowedOrigins.All(origin => OriginPolicy.Validate(origin) is null),
                "WebSockets:AllowedOrigins entries must be scheme://host[:port] (no path) or \"*\".")
            .Validate(o => o.MaxMessageBytes is >= 1024 and <= 16 * 1024 * 1024, "WebSockets:MaxMessageBytes must be between 1 KiB and 16 MiB.")
            .Validate(o => o.MessagesPerMinute is >= 1 and <= 1_000_000, "WebSockets:MessagesPerMinute must be between 1 and 1000000.")
            .Validate(o => o.KeepAliveInterval > TimeSpan.Zero, "WebSockets:KeepAliveInterval must be positive.")
            .Validate(o => o.IdleTimeout > o.KeepAliveInterval, "WebSockets:IdleTimeout must be longer than WebSockets:KeepAliveInterval.")
            .Validate(o => o.AuthTimeout > TimeSpan.Zero && o.AuthTimeout <= TimeSpan.FromMinutes(5), "WebSockets:AuthTimeout must be positive and at most 5 minutes.")
            .Validate(o => o.MaxUnauthenticatedConnections is >= 1 and <= 100_000, "WebSockets:MaxUnauthenticatedConnections must be between 1 and 100000.")
            .Validate(o => o.ExecuteTimeout > TimeSpan.Zero, "WebSockets:ExecuteTimeout must be positive.")
            .Validate(o => o.SendQueueCapacity is >= 16 and <= 1_000_000, "WebSockets:SendQueueCapacity must be between 16 and 1000000.")
            .Validate(o => o.SendTimeout > TimeSpan.Zero, "WebSockets:SendTimeout must be positive.")
            .Validate(o => o.MaxJoinedProjects >= 1, "WebSockets:MaxJoinedProjects must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<WsServices>();
        services.AddSingleton<WsConnections>();
        services.AddSingleton<UnauthenticatedSlots>();
        services.AddSingleton<ServerOrigins>();
        services.AddSingleton<ProjectViews>();
        return services;
    }
}
