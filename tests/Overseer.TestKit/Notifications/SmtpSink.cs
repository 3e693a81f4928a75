using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Overseer.TestKit.Notifications;

/// <summary>
/// An SMTP server on 127.0.0.1 that accepts every message (plain connection, AUTH PLAIN/LOGIN
/// accepted and recorded) and parses it with MimeKit, so tests read subject, parts and links.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<SmtpMessage> _messages = [];
    private readonly Task _accepting;

    private SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<SmtpMessage> Messages { get { lock (_gate) return [.. _messages]; } }

    public static SmtpSink Start() => new();

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
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        string? from = null, user = null;
        var to = new List<string>();
        try
        {
            await writer.WriteLineAsync("220 sink ESMTP");
            while (await reader.ReadLineAsync(_stopping.Token) is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-sink\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
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
                            _messages.Add(new SmtpMessage(from, [.. to], user, message));
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
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}

/// <param name="User">The user name it authenticated as, or null.</param>
public sealed record SmtpMessage(string? From, IReadOnlyList<string> To, string? User, MimeMessage Message);
