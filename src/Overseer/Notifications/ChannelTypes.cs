namespace Overseer.Notifications;

public static class ChannelTypes
{
    public const string Webhook = "webhook";
    public const string Ntfy = "ntfy";
    public const string Telegram = "telegram";
    public const string Email = "email";
    public const string WebPush = "webpush";

    public static readonly IReadOnlyList<string> All = [Webhook, Ntfy, Telegram, Email, WebPush];
}
