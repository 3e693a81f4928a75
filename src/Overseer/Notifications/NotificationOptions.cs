using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Overseer.Notifications;

/// <summary>Settings under <c>Notifications</c>: how notifications are batched, retried and linked, and the server-wide channel settings.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The address people reach this server at (https://overseer.example.com); action links and item links start with it. Unset: the address the server listens on.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>A session's notifications reach each channel at most once per window; what comes in between goes out together.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an action link (approve, deny, answer) works.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Attempts before a notification goes to the dead-letter list.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles with each further one, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The ntfy server channels publish to unless they name their own.</summary>
    [Url]
    public string NtfyServer { get; set; } = "https://ntfy.sh";

    [ValidateObjectMembers]
    public EmailSettings Email { get; set; } = new();

    [ValidateObjectMembers]
    public TelegramSettings Telegram { get; set; } = new();
}

/// <summary>The SMTP server email notifications go through.</summary>
public sealed class EmailSettings
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>None, StartTls (upgrade a plain connection, port 587), Tls (TLS from the first byte, port 465) or Auto.</summary>
    [RegularExpression("^(None|StartTls|Tls|Auto)$")]
    public string Security { get; set; } = "StartTls";

    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "overseer@localhost";

    /// <summary>
    /// The SHA-256 fingerprint (hex, colons allowed) of the SMTP server's certificate, to trust it
    /// when no certificate authority vouches for it (an internal relay with a self-signed
    /// certificate). Only that certificate is accepted then; unset, the usual CA checks apply.
    /// </summary>
    [RegularExpression("^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$", ErrorMessage = "Notifications:Email:CertificateSha256 must be a SHA-256 fingerprint: 64 hex digits, colons allowed.")]
    public string? CertificateSha256 { get; set; }
}

/// <summary>The Telegram bot that sends notifications and receives button presses.</summary>
public sealed class TelegramSettings
{
    /// <summary>The bot's token from @BotFather; unset, Telegram channels cannot deliver.</summary>
    public string? BotToken { get; set; }

    /// <summary>The Bot API's address (a self-hosted Bot API server, or a test double).</summary>
    [Url]
    public string ApiBaseUrl { get; set; } = "https://api.telegram.org";

    /// <summary>How long one getUpdates long poll waits for a button press.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(25);
}

[OptionsValidator]
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>;
