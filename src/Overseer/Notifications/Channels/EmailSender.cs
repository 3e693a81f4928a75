using System.Net;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications.Channels;

/// <summary>
/// Sends the message through the configured SMTP server (STARTTLS or TLS, with authentication
/// when a user name is set) as plain text and HTML, each item with a link to its page and its
/// action links. The Message-Id is made from the idempotency key, so a repeat is recognisable.
/// </summary>
internal sealed class EmailSender(IOptions<NotificationOptions> options) : IChannelSender
{
    public string Type => ChannelTypes.Email;

    public async Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value.Email;
        if (string.IsNullOrWhiteSpace(settings.Host))
            throw new DeliveryException("Email is not configured: set Notifications:Email:Host.");
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(MailboxAddress.Parse(target.Address!));
        mail.Subject = message.Title;
        mail.MessageId = $"{message.DeliveryKey}@overseer";
        mail.Headers.Add("X-Overseer-Delivery", message.DeliveryKey);
        mail.Body = new BodyBuilder { TextBody = Text(message), HtmlBody = Html(message) }.ToMessageBody();

        using var smtp = new SmtpClient();
        if (settings.CertificateSha256 is { } pinned)
        {
            var expected = Convert.FromHexString(pinned.Replace(":", "", StringComparison.Ordinal));
            // Pinned: that certificate and no other, whoever signed it.
            smtp.ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null
                && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Security.Cryptography.SHA256.HashData(certificate.GetRawCertData()), expected);
        }
        var security = settings.Security switch
        {
            "None" => SecureSocketOptions.None,
            "Tls" => SecureSocketOptions.SslOnConnect,
            "Auto" => SecureSocketOptions.Auto,
            _ => SecureSocketOptions.StartTls,
        };
        await smtp.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
            await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
        await smtp.SendAsync(mail, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
    }

    private static string Text(NotificationMessage message) => string.Join("\n\n", message.Items.Select(i =>
        $"{i.Title}\n{i.Body}\n\nOpen: {i.Url}" + string.Concat(i.Actions.Select(a => $"\n{a.Label}: {a.Url}"))));

    private static string Html(NotificationMessage message) =>
        "<!doctype html><html><body style=\"font-family:sans-serif\">" + string.Concat(message.Items.Select(i =>
            $"<h2>{E(i.Title)}</h2><pre style=\"white-space:pre-wrap\">{E(i.Body)}</pre><p><a href=\"{E(i.Url)}\">Open in Overseer</a></p>" +
            (i.Actions.Count == 0 ? "" : "<p>" + string.Join(" · ", i.Actions.Select(a => $"<a href=\"{E(a.Url)}\">{E(a.Label)}</a>")) + "</p>")))
        + "</body></html>";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
