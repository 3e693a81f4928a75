namespace Overseer.Notifications.Channels;

/// <summary>The one HTTP client every channel sends with: pooled connections, no cookies, no redirects (a receiver answers, it does not send us elsewhere).</summary>
internal sealed class NotificationHttp : IDisposable
{
    public HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        // Each send has its own deadline (Notifications:SendTimeout) through its cancellation token.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new DeliveryException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? ": " + (body.Length > 200 ? body[..200] : body) : "")}");
    }

    public void Dispose() => Client.Dispose();
}
