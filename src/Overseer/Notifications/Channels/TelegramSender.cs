using Overseer.Storage.Notifications;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;

namespace Overseer.Notifications.Channels;

/// <summary>
/// Sends the message to the channel's chat. One-tap actions are inline-keyboard buttons whose
/// press comes back as a callback query (<see cref="TelegramUpdates"/>); a RED approval's button
/// opens its confirmation page instead.
/// </summary>
internal sealed class TelegramSender(TelegramBot bot) : IChannelSender
{
    public string Type => ChannelTypes.Telegram;

    public async Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var client = bot.Client ?? throw new DeliveryException("Telegram is not configured: set Notifications:Telegram:BotToken.");
        var rows = message.Items.Where(i => i.Actions.Count > 0).Select(i => i.Actions.Select(a => a.OneTap
            ? InlineKeyboardButton.WithCallbackData(message.Items.Count == 1 ? a.Label : $"{a.Label} · {i.ItemId}", a.Callback)
            : InlineKeyboardButton.WithUrl(a.Label, a.Url))).ToList();
        var text = message.Text + "\n\n" + string.Join("\n", message.Items.Select(i => i.Url).Distinct());
        await client.SendMessage(target.ChatId!.Value, text.Length > 4000 ? text[..4000] : text,
            replyMarkup: rows.Count > 0 ? new InlineKeyboardMarkup(rows) : null, cancellationToken: cancellationToken);
    }
}
