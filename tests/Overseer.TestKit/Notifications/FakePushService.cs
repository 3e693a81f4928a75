using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Overseer.TestKit.Notifications;

/// <summary>
/// A Web Push service (RFC 8030) holding browser-like subscriptions it made itself, so it owns
/// their private keys: it checks each push's VAPID JWT (ES256, audience = this origin) against the
/// key in the Authorization header and decrypts the aes128gcm payload (RFC 8188/8291) as a browser
/// would. Pushes it cannot verify or decrypt are refused with 400/401.
/// </summary>
public sealed class FakePushService : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ECDiffieHellman Key, byte[] Auth)> _subscriptions = [];
    private readonly List<ReceivedPush> _received = [];
    private LocalHttpServer _server = null!;

    public IReadOnlyList<ReceivedPush> Received { get { lock (_gate) return [.. _received]; } }

    public int Refused { get; private set; }

    /// <summary>Why the last push was refused (its Authorization and Content-Encoding), for a failing test's message.</summary>
    public string? LastRefusal { get; private set; }

    public static async Task<FakePushService> StartAsync()
    {
        var service = new FakePushService();
        service._server = await LocalHttpServer.StartAsync(service.HandleAsync);
        return service;
    }

    /// <summary>A new subscription as <c>pushManager.subscribe()</c> returns it: endpoint, p256dh, auth.</summary>
    public (string Endpoint, string P256dh, string Auth) Subscribe()
    {
        var id = Guid.NewGuid().ToString("N");
        var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        lock (_gate)
            _subscriptions[id] = (key, auth);
        return (new Uri(_server.BaseUrl, "push/" + id).ToString(), Base64Url.EncodeToString(Point(key.ExportParameters(false))), Base64Url.EncodeToString(auth));
    }

    public Task<IReadOnlyList<ReceivedPush>> WaitForAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Received), r => r.Count >= count || Refused > 0, TimeSpan.FromSeconds(20), $"{count} pushes")
            .ContinueWith(t => Refused > 0 ? throw new InvalidOperationException("A push was refused: " + LastRefusal) : t.Result, TaskScheduler.Default);

    private async Task HandleAsync(HttpContext context)
    {
        var body = await LocalHttpServer.ReadBodyAsync(context.Request);
        var id = context.Request.Path.Value?.Split('/').LastOrDefault() ?? "";
        (ECDiffieHellman Key, byte[] Auth) subscription;
        lock (_gate)
        {
            if (!_subscriptions.TryGetValue(id, out subscription))
            {
                context.Response.StatusCode = StatusCodes.Status410Gone;
                return;
            }
        }
        var vapidKey = VerifyVapid(context.Request.Headers.Authorization.ToString(), _server.BaseUrl.GetLeftPart(UriPartial.Authority));
        if (vapidKey is null || context.Request.Headers.ContentEncoding != "aes128gcm")
        {
            lock (_gate)
            {
                Refused++;
                LastRefusal = $"Authorization: {context.Request.Headers.Authorization}; Content-Encoding: {context.Request.Headers.ContentEncoding}";
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var payload = Decrypt(body, subscription.Key, subscription.Auth);
        lock (_gate)
        {
            _received.Add(new ReceivedPush(id, JsonDocument.Parse(payload).RootElement.Clone(), vapidKey,
                context.Request.Headers["TTL"].ToString(), context.Request.Headers["Urgency"].ToString(), context.Request.Headers["Topic"].ToString()));
        }
        context.Response.StatusCode = StatusCodes.Status201Created;
    }

    /// <summary>The VAPID public key when the JWT's signature, audience and expiry hold; null otherwise.</summary>
    private static string? VerifyVapid(string authorization, string audience)
    {
        if (!authorization.StartsWith("vapid ", StringComparison.Ordinal))
            return null;
        var parts = authorization[6..].Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var jwt = parts["t"].Split('.');
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = Q(Base64Url.DecodeFromChars(parts["k"])) });
        if (!key.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return null;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(jwt[1])).RootElement;
        // Lib.Net.Http.WebPush writes the audience without the port; real push services are on 443,
        // where the origin has none either, so here the host must match and the port may be left out.
        var aud = claims.GetProperty("aud").GetString();
        if ((aud != audience && aud != new Uri(audience).GetLeftPart(UriPartial.Scheme) + new Uri(audience).Host) || claims.GetProperty("exp").GetInt64() < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            return null;
        return parts["k"];
    }

    /// <summary>RFC 8291 with RFC 8188's aes128gcm, one record, as a user agent decrypts it.</summary>
    private static byte[] Decrypt(byte[] body, ECDiffieHellman userAgent, byte[] auth)
    {
        var salt = body[..16];
        var idLength = body[20];
        var senderPublic = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        _ = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = Q(senderPublic) });
        var secret = userAgent.DeriveRawSecretAgreement(sender.PublicKey);
        var userAgentPublic = Point(userAgent.ExportParameters(false));
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(userAgentPublic).Concat(senderPublic).ToArray();
        var ikm = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, secret, auth), 32, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        var plain = new byte[record.Length - 16];
        using (var gcm = new AesGcm(cek, 16))
            gcm.Decrypt(nonce, record[..^16], record[^16..], plain);
        // The last record ends with the delimiter 0x02 and any padding zeros.
        var end = plain.Length - 1;
        while (plain[end] == 0)
            end--;
        return plain[..end];
    }

    private static byte[] Point(ECParameters parameters) => [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];

    private static ECPoint Q(byte[] point) => new() { X = point[1..33], Y = point[33..65] };

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        lock (_gate)
        {
            foreach (var (key, _) in _subscriptions.Values)
                key.Dispose();
        }
    }
}

/// <param name="VapidKey">The server's VAPID public key the push was signed with.</param>
public sealed record ReceivedPush(string SubscriptionId, JsonElement Payload, string VapidKey, string Ttl, string Urgency, string Topic);
