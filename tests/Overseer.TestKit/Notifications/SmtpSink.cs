using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Security.Authentication;
using MimeKit;

namespace Overseer.TestKit.Notifications;

/// <summary>
/// An SMTP server on 127.0.0.1 that accepts every message (AUTH PLAIN/LOGIN accepted and
/// recorded) and parses it with MimeKit, so tests read subject, parts and links. Plain by
/// default; with a certificate it offers STARTTLS, or speaks TLS from the first byte.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<SmtpMessage> _messages = [];
    private readonly Task _accepting;
    private readonly X509Certificate2? _certificate;
    private readonly bool _implicitTls;

    private SmtpSink(X509Certificate2? certificate, bool implicitTls)
    {
        _certificate = certificate;
        _implicitTls = implicitTls;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<SmtpMessage> Messages { get { lock (_gate) return [.. _messages]; } }

    public static SmtpSink Start() => new(null, false);

    /// <summary>Offers STARTTLS with <paramref name="certificate"/> (port-587 style).</summary>
    public static SmtpSink StartWithStartTls(X509Certificate2 certificate) => new(certificate, false);

    /// <summary>TLS from the first byte with <paramref name="certificate"/> (port-465 style).</summary>
    public static SmtpSink StartWithTls(X509Certificate2 certificate) => new(certificate, true);

    /// <summary>A self-signed certificate for 127.0.0.1, as an internal mail relay might have.</summary>
    public static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sink.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Exported and loaded again: SslStream on Linux needs the key attached as PKCS#12 gives it.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    public Task<IReadOnlyList<SmtpMessage>> WaitForAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Messages), m => m.Count >= count, TimeSpan.FromSeconds(20), $"{count} emails");

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (true)
                sessions.Add(ServeAsync(await _listener.AcceptTcpClientAsync(_stopping.Token)));
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var encrypted = false;
        string? from = null, user = null;
        var to = new List<string>();
        try
        {
            if (_implicitTls)
            {
                stream = await SecureAsync(stream);
                encrypted = true;
            }
            var reader = new StreamReader(stream, Encoding.ASCII);
            var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync(_certificate is not null && !encrypted
                            ? "250-sink\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME"
                            : "250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
                        break;
                    case "STARTTLS" when _certificate is not null && !encrypted:
                        await writer.WriteLineAsync("220 2.0.0 Ready to start TLS");
                        stream = await SecureAsync(stream);
                        encrypted = true;
                        reader = new StreamReader(stream, Encoding.ASCII);
                        writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                        from = user = null;
                        to.Clear();
                        break;
                    case "HELO" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "AUTH":
                        user = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[2])).Split('\0')[1];
                        await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        from = line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>');
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync(_stopping.Token) is { } dataLine && dataLine != ".")
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(data.ToString())));
                        lock (_gate)
                            _messages.Add(new SmtpMessage(from, [.. to], user, message, encrypted));
                        to.Clear();
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 Command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or AuthenticationException)
        {
        }
    }

    private async Task<Stream> SecureAsync(Stream plain)
    {
        var tls = new SslStream(plain, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stopping.Token);
        return tls;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}

/// <param name="User">The user name it authenticated as, or null.</param>
/// <param name="Encrypted">Whether it came over TLS (STARTTLS or TLS from the start).</param>
public sealed record SmtpMessage(string? From, IReadOnlyList<string> To, string? User, MimeMessage Message, bool Encrypted = false);
