using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Overseer.Notifications.Channels;

namespace Overseer.Triggers;

/// <summary>
/// Whether a delivery comes from whoever holds the trigger's secret, each provider its own way,
/// always compared in constant time. GitHub: <c>X-Hub-Signature-256: sha256=HEX</c>, the HMAC-SHA256
/// of the raw body. GitLab: <c>X-Gitlab-Token</c> is the secret itself. Generic: the format of
/// Overseer's own outgoing webhooks, <c>X-Overseer-Signature: sha256=HEX</c> over
/// <c>{X-Overseer-Timestamp}.{body}</c>, with the timestamp inside the replay window.
/// </summary>
internal static class HookSignatures
{
    /// <summary>Null when the request is signed with <paramref name="secret"/>; else why not (for the log, never the secret).</summary>
    public static string? Problem(string provider, IHeaderDictionary headers, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan replayWindow)
    {
        switch (provider)
        {
            case TriggerProviders.GitHub:
            {
                var given = headers["X-Hub-Signature-256"].ToString();
                if (given.Length == 0)
                    return "no X-Hub-Signature-256 header";
                var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
                return SameText(given.ToLowerInvariant(), expected) ? null : "X-Hub-Signature-256 does not match the body";
            }
            case TriggerProviders.GitLab:
            {
                var given = headers["X-Gitlab-Token"].ToString();
                if (given.Length == 0)
                    return "no X-Gitlab-Token header";
                return SameText(given, secret) ? null : "X-Gitlab-Token is not the trigger's secret";
            }
            default:
            {
                var signature = headers[WebhookSender.SignatureHeader].ToString();
                var timestamp = headers[WebhookSender.TimestampHeader].ToString();
                if (signature.Length == 0 || timestamp.Length == 0)
                    return $"no {WebhookSender.SignatureHeader} or {WebhookSender.TimestampHeader} header";
                if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                    return $"{WebhookSender.TimestampHeader} is not Unix seconds";
                var expected = "sha256=" + WebhookSender.Sign(secret, seconds, body);
                if (!SameText(signature.ToLowerInvariant(), expected))
                    return $"{WebhookSender.SignatureHeader} does not match the timestamp and body";
                // Checked after the signature, so only the secret's holder learns the window.
                var age = now - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
                return age.Duration() <= replayWindow ? null : $"{WebhookSender.TimestampHeader} is {age.TotalSeconds:0} s from now, outside the {replayWindow.TotalSeconds:0} s replay window";
            }
        }
    }

    private static bool SameText(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
