using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Overseer.Notifications;
using Overseer.Notifications.Channels;
using Overseer.Storage.Notifications;
using Overseer.TestKit.Notifications;

namespace Overseer.Tests.Notifications;

/// <summary>
/// Email over an encrypted connection: STARTTLS (port 587 style) and TLS from the first byte
/// (port 465 style), with the password sent only once encrypted, against a relay whose
/// self-signed certificate is trusted by its pinned fingerprint and by nothing else.
/// </summary>
public sealed class EmailSecurityTests : IDisposable
{
    private readonly X509Certificate2 _certificate = SmtpSink.SelfSignedCertificate();

    [Theory]
    [InlineData("StartTls")]
    [InlineData("Tls")]
    public async Task PinnedCertificate_MessageArrivesEncrypted_AndAuthenticated(string security)
    {
        await using var sink = security == "Tls" ? SmtpSink.StartWithTls(_certificate) : SmtpSink.StartWithStartTls(_certificate);
        await Sender(sink, security, Fingerprint(_certificate)).SendAsync(Channel, Target, Message, CancellationToken.None);

        var mail = (await sink.WaitForAsync(1)).Single();
        mail.Encrypted.ShouldBeTrue();
        mail.User.ShouldBe("mailer");
        mail.Message.Subject.ShouldBe("ORANGE approval: Bash");
    }

    [Fact]
    public async Task SelfSignedCertificate_WithoutAPin_IsRefused_AndNothingIsSent()
    {
        await using var sink = SmtpSink.StartWithStartTls(_certificate);
        var refused = await Should.ThrowAsync<Exception>(() => Sender(sink, "StartTls", null).SendAsync(Channel, Target, Message, CancellationToken.None));
        refused.Message.ShouldContain("certificate", Case.Insensitive);
        sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task PinOfAnotherCertificate_IsRefused_AndThePasswordNeverLeaves()
    {
        await using var sink = SmtpSink.StartWithStartTls(_certificate);
        using var other = SmtpSink.SelfSignedCertificate();
        await Should.ThrowAsync<Exception>(() => Sender(sink, "StartTls", Fingerprint(other)).SendAsync(Channel, Target, Message, CancellationToken.None));
        sink.Messages.ShouldBeEmpty();
    }

    [Fact]
    public void Fingerprint_ThatIsNotSha256_IsRefusedAtStartUp()
    {
        var options = new NotificationOptions { Email = { CertificateSha256 = "abc123" } };
        new NotificationOptionsValidator().Validate(null, options).Failed.ShouldBeTrue();
        options.Email.CertificateSha256 = Fingerprint(_certificate);
        new NotificationOptionsValidator().Validate(null, options).Succeeded.ShouldBeTrue();
    }

    public void Dispose() => _certificate.Dispose();

    private static EmailSender Sender(SmtpSink sink, string security, string? pin) => new(Options.Create(new NotificationOptions
    {
        Email = new EmailSettings
        {
            Host = "127.0.0.1", Port = sink.Port, Security = security, UserName = "mailer", Password = "mail-password",
            From = "Overseer <overseer@example.test>", CertificateSha256 = pin,
        },
    }));

    /// <summary>As <c>openssl x509 -fingerprint -sha256</c> prints it.</summary>
    private static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly NotificationChannelRecord Channel = new("ch_1", "u_1", ChannelTypes.Email, "mail", "{}", null, "{}", true, DateTimeOffset.UnixEpoch);

    private static readonly ChannelTarget Target = new(Address: "dev@example.test");

    private static readonly NotificationMessage Message = new("key-1", "admin", "ORANGE approval: Bash",
        [new NotificationItem("approval", "ap_1", "s_1", "p_1", "ORANGE approval: Bash", "curl https://example.com", "ORANGE", "http://127.0.0.1/sessions/s_1", [])],
        DateTimeOffset.UnixEpoch);
}
