namespace Overseer.SignIn.Passkeys;

/// <summary><c>Auth:Passkeys</c>: who the browser is told it is talking to when it makes or uses a passkey.</summary>
public sealed class PasskeyOptions
{
    public const string Section = "Auth:Passkeys";

    /// <summary>Off: no passkey sign-in or registration.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The relying party id: the host name passkeys are bound to (<c>overseer.example.com</c>, no
    /// scheme or port). Default: the name the server listens on, <c>localhost</c> for a loopback address.
    /// </summary>
    public string? RelyingPartyId { get; set; }

    /// <summary>The browser origins passkeys may be used from (<c>https://overseer.example.com</c>). Default: the listening addresses under the relying party id.</summary>
    public List<string> Origins { get; set; } = [];
}
