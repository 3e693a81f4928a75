using Fido2NetLib;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Overseer.SignIn.Passkeys;

/// <summary>
/// The WebAuthn relying party this server is: its id and origins from <c>Auth:Passkeys</c>, or
/// else from the addresses it listens on, which are known only once it has started (port 0 in
/// tests), so this is worked out on first use and then kept.
/// </summary>
internal sealed partial class PasskeyRelyingParty(IOptions<PasskeyOptions> options, IServer server, ILogger<PasskeyRelyingParty> log)
{
    private const string ServerName = "Overseer";
    private Fido2Configuration? _configuration;
    private bool _logged;

    /// <summary>The relying party, or null when passkeys are off or no relying party id can be worked out.</summary>
    public Fido2Configuration? Current
    {
        get
        {
            if (_configuration is { } known)
                return known;
            var o = options.Value;
            if (!o.Enabled)
                return null;
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var configuration = Derive(o, addresses);
            if (configuration is null)
            {
                if (addresses.Count > 0 && !_logged)
                {
                    _logged = true;
                    NoRelyingParty(log, string.Join(", ", addresses));
                }
                return null;
            }
            if (Interlocked.CompareExchange(ref _configuration, configuration, null) is null)
                RelyingParty(log, configuration.RPID, string.Join(", ", configuration.Origins));
            return _configuration;
        }
    }

    public IFido2? Fido => Current is { } configuration ? new Fido2(configuration) : null;

    internal static Fido2Configuration? Derive(PasskeyOptions o, ICollection<string> addresses)
    {
        var implied = addresses.Select(PasskeyOrigins.Implied).OfType<(string RpId, string Origin)>().ToList();
        var rpId = o.RelyingPartyId ?? implied.Select(i => i.RpId).FirstOrDefault();
        if (rpId is null)
            return null;
        var origins = o.Origins.Count > 0
            ? o.Origins.Select(origin => PasskeyOrigins.Of(PasskeyOrigins.Parse(origin)!)).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : implied.Where(i => PasskeyOrigins.IsUnder(new Uri(i.Origin).Host, rpId)).Select(i => i.Origin).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (o.RelyingPartyId is not null && o.Origins.Count == 0)
            origins.Add("https://" + rpId); // behind a proxy that serves the name over TLS
        return new Fido2Configuration
        {
            RPID = rpId,
            RPName = ServerName,
            Origins = origins,
            Timeout = (uint)PasskeyChallenges.Lifetime.TotalMilliseconds,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Passkeys: relying party '{RpId}', origins {Origins}.")]
    private static partial void RelyingParty(ILogger logger, string rpId, string origins);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Passkeys are off: no host name can be worked out from {Addresses}; set Auth:Passkeys:RelyingPartyId to the name people open the dashboard at.")]
    private static partial void NoRelyingParty(ILogger logger, string addresses);
}
