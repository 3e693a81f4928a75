using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring.Probes;

/// <summary>
/// HTTP checks: GET the URL (redirects are not followed, so a 302 is seen as one); passes when the
/// status is the expected one (any 2xx or 3xx by default) and the body holds the expected text.
/// The value is the time to the response headers in ms, or with <c>metric: cert_days</c> the days
/// until the server's certificate expires.
/// </summary>
internal sealed class HttpProbe : ICheckProbe, IDisposable
{
    private const int MaxBodyBytes = 256 * 1024;
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public string Kind => "http";

    public async Task<CheckResult> RunAsync(CheckDefinition check, CancellationToken cancellationToken)
    {
        var url = new Uri(check.Target!);
        if (check.Metric == "cert_days")
            return await CertificateAsync(url, cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.UserAgent.ParseAdd("Overseer-Monitor/1");
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var latency = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            var status = (int)response.StatusCode;
            var statusOk = check.ExpectStatus is { } expected ? status == expected : status is >= 200 and < 400;
            if (!statusOk)
                return CheckResult.Fail($"HTTP {status} (expected {(check.ExpectStatus is { } e ? e.ToString(System.Globalization.CultureInfo.InvariantCulture) : "2xx or 3xx")})", latency, "ms");
            if (check.Contains is { Length: > 0 } text && !(await ReadHeadAsync(response, cancellationToken)).Contains(text, StringComparison.Ordinal))
                return CheckResult.Fail($"HTTP {status}, but the body does not contain \"{text}\"", latency, "ms");
            return new CheckResult(true, latency, "ms", $"HTTP {status} in {latency:0} ms");
        }
        catch (HttpRequestException ex)
        {
            return CheckResult.Fail($"{url.Host}: {ex.Message}");
        }
    }

    private static async Task<string> ReadHeadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        while (read < buffer.Length && await body.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            read += n;
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>Days until the certificate the server presents expires; an invalid chain fails the check.</summary>
    private static async Task<CheckResult> CertificateAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(url.Host, url.Port, cancellationToken);
            SslPolicyErrors errors = SslPolicyErrors.None;
            await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, e) =>
            {
                errors = e;
                return true;
            });
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.Host }, cancellationToken);
            if (ssl.RemoteCertificate is not { } remote)
                return CheckResult.Fail($"{url.Host} presented no certificate.");
            using var certificate = new X509Certificate2(remote);
            var days = Math.Round((certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays, 1);
            return errors == SslPolicyErrors.None
                ? new CheckResult(true, days, "days", $"certificate valid for {days:0.#} more days (until {certificate.NotAfter:yyyy-MM-dd})")
                : CheckResult.Fail($"certificate not trusted ({errors}); expires in {days:0.#} days", days, "days");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return CheckResult.Fail($"{url.Host}:{url.Port}: {ex.Message}");
        }
    }

    public void Dispose() => _client.Dispose();
}
