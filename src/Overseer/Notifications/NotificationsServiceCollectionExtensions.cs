using Overseer.Hosting;
using Overseer.Notifications.Channels;
using Overseer.Storage;

namespace Overseer.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>The outbox dispatcher, the channels, action links and the Telegram bot's poller.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.AddSingleton(sp => ActionLinkKey.LoadOrCreate(sp.GetRequiredService<DataDirectory>().Path));
        services.AddSingleton(sp => VapidKeys.LoadOrCreate(sp.GetRequiredService<DataDirectory>().Path));
        services.AddSingleton<NotificationUrls>();
        services.AddSingleton<ChannelEditor>();
        services.AddSingleton<ActionLinks>();
        services.AddSingleton<ItemDecisions>();
        services.AddSingleton<NotificationContent>();
        services.AddSingleton<NotificationFanOut>();
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<ICommitObserver>(sp => sp.GetRequiredService<NotificationSignal>());
        services.AddSingleton<NotificationHttp>();
        services.AddSingleton<TelegramBot>();
        services.AddSingleton<IChannelSender, WebhookSender>();
        services.AddSingleton<IChannelSender, NtfySender>();
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddSingleton<IChannelSender, TelegramSender>();
        services.AddSingleton<IChannelSender, WebPushSender>();
        services.AddHostedService<NotificationDispatcher>();
        services.AddSingleton<TelegramUpdates>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramUpdates>());
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(NotificationJson.Default));
        return services;
    }
}
