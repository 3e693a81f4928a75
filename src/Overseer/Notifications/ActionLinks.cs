using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Overseer.Notifications;

/// <summary>
/// Signs and checks action links: <c>/n/{payload}.{mac}</c>, the payload an <see cref="ActionClaim"/>
/// as base64url JSON, the MAC its HMAC-SHA256 under <see cref="ActionLinkKey"/>. A link is its own
/// authorization: bound to the item, the user and the action, expiring, used once.
/// </summary>
internal sealed class ActionLinks(ActionLinkKey key, TimeProvider time, IOptions<NotificationOptions> options, NotificationUrls urls)
{
    public ActionClaim NewClaim(string kind, string itemId, string userId, string action, string? option = null) =>
        new(kind, itemId, userId, action, option, (time.GetUtcNow() + options.Value.LinkLifetime).ToUnixTimeSeconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)));

    public string Token(ActionClaim claim)
    {
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claim, NotificationJson.Default.ActionClaim));
        return payload + "." + Base64Url.EncodeToString(Mac(payload));
    }

    public string Url(ActionClaim claim) => urls.Absolute("/n/" + Token(claim));

    /// <summary>The claim a token carries, or why it is refused (forged, expired).</summary>
    public (ActionClaim? Claim, LinkRefusal? Refusal) Check(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
            return (null, LinkRefusal.Forged);
        var payload = token[..dot];
        byte[] mac;
        try
        {
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return (null, LinkRefusal.Forged);
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(payload)))
            return (null, LinkRefusal.Forged);
        ActionClaim? claim;
        try
        {
            claim = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(payload), NotificationJson.Default.ActionClaim);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return (null, LinkRefusal.Forged);
        }
        if (claim is null)
            return (null, LinkRefusal.Forged);
        if (time.GetUtcNow().ToUnixTimeSeconds() >= claim.Expires)
            return (claim, LinkRefusal.Expired);
        return (claim, null);
    }

    private byte[] Mac(string payload) => HMACSHA256.HashData(key.Bytes, System.Text.Encoding.ASCII.GetBytes(payload));
}

internal enum LinkRefusal
{
    Forged,
    Expired,
    Used,
}
