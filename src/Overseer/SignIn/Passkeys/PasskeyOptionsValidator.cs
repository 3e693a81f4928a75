using Microsoft.Extensions.Options;

namespace Overseer.SignIn.Passkeys;

/// <summary>Refuses a relying party id or origins a browser would never accept, at start-up rather than at the first passkey.</summary>
internal sealed class PasskeyOptionsValidator : IValidateOptions<PasskeyOptions>
{
    public ValidateOptionsResult Validate(string? name, PasskeyOptions options)
    {
        var errors = new List<string>();
        var rpId = options.RelyingPartyId;
        if (rpId is not null && !IsHostName(rpId))
            errors.Add($"Auth:Passkeys:RelyingPartyId must be a host name such as overseer.example.com (no scheme, port or IP address), not '{rpId}'.");
        if (options.Origins.Count > 0 && rpId is null)
            errors.Add("Auth:Passkeys:Origins needs Auth:Passkeys:RelyingPartyId: the origins must lie under it.");
        for (var i = 0; i < options.Origins.Count; i++)
        {
            var origin = options.Origins[i];
            if (PasskeyOrigins.Parse(origin) is not { } uri)
                errors.Add($"Auth:Passkeys:Origins:{i} must be scheme://host[:port] with no path, not '{origin}'.");
            else if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
                errors.Add($"Auth:Passkeys:Origins:{i} must be https (browsers allow passkeys over http only on localhost): '{origin}'.");
            else if (rpId is not null && IsHostName(rpId) && !PasskeyOrigins.IsUnder(uri.Host, rpId))
                errors.Add($"Auth:Passkeys:Origins:{i} ('{origin}') is not under the relying party id '{rpId}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsHostName(string value) =>
        value.Length is > 0 and <= 253 && Uri.CheckHostName(value) == UriHostNameType.Dns && !value.Contains(':', StringComparison.Ordinal);
}
