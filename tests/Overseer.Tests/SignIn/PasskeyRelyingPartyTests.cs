using Overseer.SignIn.Passkeys;

namespace Overseer.Tests.SignIn;

public sealed class PasskeyRelyingPartyTests
{
    [Fact]
    public void Derive_LoopbackAddress_IsLocalhost_WithTheListeningPort()
    {
        var configuration = PasskeyRelyingParty.Derive(new PasskeyOptions(), ["http://127.0.0.1:7700"])!;

        configuration.RPID.ShouldBe("localhost");
        configuration.Origins.ShouldBe(["http://localhost:7700"]);
    }

    [Fact]
    public void Derive_HostName_IsThatName()
    {
        var configuration = PasskeyRelyingParty.Derive(new PasskeyOptions(), ["https://overseer.example.com:8443"])!;

        configuration.RPID.ShouldBe("overseer.example.com");
        configuration.Origins.ShouldBe(["https://overseer.example.com:8443"]);
    }

    [Fact]
    public void Derive_WildcardAddressWithoutARelyingPartyId_TurnsPasskeysOff()
    {
        PasskeyRelyingParty.Derive(new PasskeyOptions(), ["http://0.0.0.0:7700", "http://[::]:7700"]).ShouldBeNull();
    }

    [Fact]
    public void Derive_ConfiguredRelyingPartyBehindAProxy_TakesItsHttpsOrigin()
    {
        var configuration = PasskeyRelyingParty.Derive(new PasskeyOptions { RelyingPartyId = "overseer.example.com" }, ["http://127.0.0.1:7700"])!;

        configuration.RPID.ShouldBe("overseer.example.com");
        configuration.Origins.ShouldBe(["https://overseer.example.com"]);
    }

    [Theory]
    [InlineData("overseer.example.com", "https://evil.example.net", "is not under the relying party id")]
    [InlineData("overseer.example.com", "http://overseer.example.com", "must be https")]
    [InlineData("overseer.example.com", "https://overseer.example.com/app", "must be scheme://host[:port] with no path")]
    public void Validate_OriginsThatCannotWork_AreNamed(string rpId, string origin, string problem)
    {
        var result = new PasskeyOptionsValidator().Validate(null, new PasskeyOptions { RelyingPartyId = rpId, Origins = [origin] });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain(problem);
    }

    [Fact]
    public void Validate_SubdomainOrigin_IsAccepted()
    {
        new PasskeyOptionsValidator().Validate(null, new PasskeyOptions { RelyingPartyId = "example.com", Origins = ["https://overseer.example.com"] })
            .Succeeded.ShouldBeTrue();
    }
}
