using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Dashboard;

namespace Overseer.SignIn.Passkeys;

/// <summary>What the sign-in and the registration of a passkey share: guards, the user handle, the answers.</summary>
internal static class PasskeyCeremony
{
    /// <summary>A passkey answer is a few kilobytes; anything near this is not one.</summary>
    public const long MaxBodyBytes = 64 * 1024;

    /// <summary>The user handle stored in the authenticator: the user's id, never their name.</summary>
    public static byte[] UserHandle(string userId) => Encoding.UTF8.GetBytes(userId);

    public static string IdOf(byte[] credentialId) => System.Buffers.Text.Base64Url.EncodeToString(credentialId);

    public static byte[]? ParseId(string id)
    {
        try
        {
            return id.Length is > 0 and <= 1400 ? System.Buffers.Text.Base64Url.DecodeFromChars(id) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Null when the request may go on; otherwise the problem to answer (anti-forgery, passkeys off).</summary>
    public static async Task<IResult?> RefuseAsync(HttpContext context, PasskeyRelyingParty relyingParty)
    {
        SecurityHeaders.Apply(context.Response);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        if (!await DashboardCsrf.IsValidAsync(context))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "The page expired: reload it and try again.", DashboardCsrf.HeaderName);
        if (relyingParty.Current is null)
            return Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.PasskeysUnavailable,
                "Passkeys are not available on this server: set Auth:Passkeys:RelyingPartyId to the name the dashboard is opened at.");
        return null;
    }

    /// <summary>The options as the browser's <c>PublicKeyCredential.parse…OptionsFromJSON</c> reads them, with the id to answer with.</summary>
    public static IResult Options(string challenge, string optionsJson) =>
        Results.Text($"{{\"challenge\":{JsonSerializer.Serialize(challenge, PasskeyJson.Default.String)},\"options\":{optionsJson}}}", "application/json", Encoding.UTF8);

    public static IResult Expired() =>
        Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.PasskeyChallengeExpired, "The passkey request expired or was already used: try again.", "challenge");

    public static IResult Busy() =>
        Problems.Result(StatusCodes.Status503ServiceUnavailable, ErrorCodes.RateLimited, "Too many passkey requests are open at once: try again in a minute.");
}
