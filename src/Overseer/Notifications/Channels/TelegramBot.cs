using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Overseer.Notifications.Channels;

/// <summary>The one Bot API client, at the configured base URL; null when no bot token is set.</summary>
internal sealed class TelegramBot(IOptions<NotificationOptions> options, NotificationHttp http)
{
    private readonly Lazy<TelegramBotClient?> _client = new(() =>
        options.Value.Telegram.BotToken is { Length: > 0 } token
            ? new TelegramBotClient(new TelegramBotClientOptions(token, options.Value.Telegram.ApiBaseUrl.TrimEnd('/')), http.Client)
            : null);

    public TelegramBotClient? Client => _client.Value;
}
