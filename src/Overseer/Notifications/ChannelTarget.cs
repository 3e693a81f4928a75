namespace Overseer.Notifications;

/// <summary>
/// Where a channel delivers; which fields matter depends on its type: webhook <c>url</c>; ntfy
/// <c>topic</c> (and optionally its own <c>server</c> and access <c>token</c>); telegram
/// <c>chatId</c>; email <c>address</c>.
/// </summary>
public sealed record ChannelTarget(string? Url = null, string? Topic = null, string? Server = null, string? Token = null, long? ChatId = null, string? Address = null)
{
    public (string Field, string Message)? Problem(string type) => type switch
    {
        ChannelTypes.Webhook when !IsHttpUrl(Url) => ("target.url", "A webhook needs target.url, an absolute http or https URL."),
        ChannelTypes.Ntfy when string.IsNullOrWhiteSpace(Topic) || Topic.Length > 64 || !Topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') =>
            ("target.topic", "An ntfy channel needs target.topic: 1 to 64 letters, digits, '-' or '_'."),
        ChannelTypes.Ntfy when Server is not null && !IsHttpUrl(Server) => ("target.server", "target.server must be an absolute http or https URL."),
        ChannelTypes.Telegram when ChatId is null => ("target.chatId", "A Telegram channel needs target.chatId, the chat the bot writes to (your user id for a private chat)."),
        ChannelTypes.Email when !IsAddress(Address) => ("target.address", "An email channel needs target.address, an email address."),
        _ => null,
    };

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsAddress(string? value) =>
        value is not null && MimeKit.MailboxAddress.TryParse(value, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
