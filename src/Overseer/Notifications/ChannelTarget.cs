namespace Overseer.Notifications;

/// <summary>
/// Where a channel delivers; which fields matter depends on its type: webhook <c>url</c>; ntfy
/// <c>topic</c> (and optionally its own <c>server</c> and access <c>token</c>); telegram
/// <c>chatId</c>; email <c>address</c>; webpush the browser's subscription: <c>endpoint</c>, <c>p256dh</c>, <c>auth</c>.
/// </summary>
public sealed record ChannelTarget(string? Url = null, string? Topic = null, string? Server = null, string? Token = null, long? ChatId = null, string? Address = null,
    string? Endpoint = null, string? P256dh = null, string? Auth = null)
{
    public (string Field, string Message)? Problem(string type) => type switch
    {
        ChannelTypes.Webhook when !IsHttpUrl(Url) => ("target.url", "A webhook needs target.url, an absolute http or https URL."),
        ChannelTypes.Ntfy when string.IsNullOrWhiteSpace(Topic) || Topic.Length > 64 || !Topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') =>
            ("target.topic", "An ntfy channel needs target.topic: 1 to 64 letters, digits, '-' or '_'."),
        ChannelTypes.Ntfy when Server is not null && !IsHttpUrl(Server) => ("target.server", "target.server must be an absolute http or https URL."),
        ChannelTypes.Telegram when ChatId is null => ("target.chatId", "A Telegram channel needs target.chatId, the chat the bot writes to (your user id for a private chat)."),
        ChannelTypes.Email when !IsAddress(Address) => ("target.address", "An email channel needs target.address, an email address."),
        ChannelTypes.WebPush when !Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http") =>
            ("target.endpoint", "A webpush channel needs target.endpoint, the push service URL of the browser's subscription."),
        ChannelTypes.WebPush when !IsKey(P256dh, 65) => ("target.p256dh", "target.p256dh must be the subscription's P-256 public key (65 bytes, base64url)."),
        ChannelTypes.WebPush when !IsKey(Auth, 16) => ("target.auth", "target.auth must be the subscription's 16-byte auth secret (base64url)."),
        _ => null,
    };

    private static bool IsKey(string? value, int length)
    {
        try
        {
            return value is not null && System.Buffers.Text.Base64Url.DecodeFromChars(value.TrimEnd('=')).Length == length;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsAddress(string? value) =>
        value is not null && MimeKit.MailboxAddress.TryParse(value, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
