using System.Text;
using Overseer.Core.Secrets;

namespace Overseer.Core.Tests.Secrets;

public sealed class SecretRedactorTests
{
    private const string Token = "tok_9f8e7d6c5b4a";
    private const string Marker = "«secret:TOKEN»";

    private static SecretRedactor For(params (string Name, string Value)[] secrets) =>
        new(secrets.Select(s => KeyValuePair.Create(s.Name, s.Value)));

    [Fact]
    public void Redact_PlainValue_ReplacedEverywhere()
    {
        var redactor = For(("TOKEN", Token));

        redactor.Redact($"export T={Token}\n{Token}{Token} end").ShouldBe($"export T={Marker}\n{Marker}{Marker} end");
    }

    [Fact]
    public void Redact_NothingMatched_ReturnsSameInstanceWithoutAllocating()
    {
        var redactor = For(("TOKEN", Token), ("OTHER", "another-secret-value"));
        var text = "an ordinary line of agent output mentioning tok_ and another- but no secret " + new string('x', 1000);
        redactor.Redact(text); // warm up JIT and SearchValues

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = redactor.Redact(text);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        result.ShouldBeSameAs(text);
        allocated.ShouldBe(0);
    }

    [Fact]
    public void Empty_RedactsNothing()
    {
        SecretRedactor.Empty.IsEmpty.ShouldBeTrue();
        var text = "anything";
        SecretRedactor.Empty.Redact(text).ShouldBeSameAs(text);
    }

    [Fact]
    public void Redact_ValuesShorterThanFourCharacters_LeftAlone()
    {
        var redactor = For(("PIN", "123"), ("X", "ab"));

        redactor.IsEmpty.ShouldBeTrue();
        redactor.Redact("pin 123 and ab").ShouldBe("pin 123 and ab");
        For(("PIN", "1234")).Redact("pin 1234").ShouldBe("pin «secret:PIN»");
    }

    [Fact]
    public void Redact_StandaloneBase64_PaddedAndUnpadded()
    {
        var redactor = For(("TOKEN", Token));
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Token));
        base64.ShouldEndWith("=");

        redactor.Redact($"a {base64} b").ShouldBe($"a {Marker} b");
        redactor.Redact($"a {base64.TrimEnd('=')} b").ShouldBe($"a {Marker} b");
    }

    [Theory]
    [InlineData("Authorization: Bearer ")]   // 22 bytes: offset 1 in its 3-byte group
    [InlineData("Authorization: Bearer  ")]  // offset 2
    [InlineData("Authorization: Bearer")]    // offset 0
    [InlineData("")]
    public void Redact_Base64OfLongerText_EveryAlignmentOfTheEmbeddedValue(string prefix)
    {
        var redactor = For(("TOKEN", Token));
        foreach (var suffix in new[] { "", "\r\n", "\r\nX-Other: 1" })
        {
            var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + Token + suffix));

            var redacted = redactor.Redact($"header: {blob};");

            redacted.ShouldContain(Marker);
            var leftover = redacted.Replace(Marker, "|", StringComparison.Ordinal);
            // The marker covers every blob character except the two shared with the value's neighbours.
            var blobCharsLeft = leftover.Length - "header: ;".Length - "|".Length;
            (blob.Length - blobCharsLeft).ShouldBeGreaterThanOrEqualTo((Token.Length * 8 / 6) - 2);
            foreach (var offset in new[] { 0, 1, 2 })
                redacted.ShouldNotContain(SecretForms.StableBase64(Encoding.UTF8.GetBytes(Token), offset));
        }
    }

    [Fact]
    public void Redact_UrlSafeBase64_Replaced()
    {
        const string value = "~~~???~~~???"; // standard base64 "fn5+Pz8/..." needs the URL-safe alphabet
        var standard = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        standard.ShouldContain("+");
        standard.ShouldContain("/");
        var urlSafe = standard.Replace('+', '-').Replace('/', '_');
        var embedded = Convert.ToBase64String(Encoding.UTF8.GetBytes("k=" + value + ";")).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var redactor = For(("S", value));

        redactor.Redact($"?t={urlSafe}&x").ShouldBe("?t=«secret:S»&x");
        redactor.Redact($"jwt.{embedded}.sig").ShouldContain("«secret:S»");
        redactor.Redact(standard).ShouldBe("«secret:S»");
    }

    [Fact]
    public void Redact_Hex_LowerAndUpper()
    {
        var redactor = For(("TOKEN", Token));
        var hex = Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Token));

        redactor.Redact($"x{hex}y").ShouldBe($"x{Marker}y");
        redactor.Redact($"x{hex.ToUpperInvariant()}y").ShouldBe($"x{Marker}y");
    }

    [Fact]
    public void Redact_UrlEncoded_UpperLowerAndFormSpaces()
    {
        var redactor = For(("PW", "p@ss w/rd&x=1"));

        redactor.Redact("u?pw=p%40ss%20w%2Frd%26x%3D1&a").ShouldBe("u?pw=«secret:PW»&a");
        redactor.Redact("u?pw=p%40ss%20w%2frd%26x%3d1&a").ShouldBe("u?pw=«secret:PW»&a");
        redactor.Redact("u?pw=p%40ss+w%2Frd%26x%3D1&a").ShouldBe("u?pw=«secret:PW»&a");
        redactor.Redact("raw p@ss w/rd&x=1").ShouldBe("raw «secret:PW»");
    }

    [Fact]
    public void Redact_JsonEscapedInRawText_Replaced()
    {
        var redactor = For(("Q", "ab\"cd\\ef"));

        redactor.Redact("{\"k\":\"ab\\\"cd\\\\ef\"}").ShouldBe("{\"k\":\"«secret:Q»\"}");
    }

    [Fact]
    public void Redact_SecretContainingAnother_ReplacedWholeUnderLongerName()
    {
        var redactor = For(("SHORT", "abcd1234"), ("LONG", "xx-abcd1234-yy"));

        redactor.Redact("1 xx-abcd1234-yy 2 abcd1234 3").ShouldBe("1 «secret:LONG» 2 «secret:SHORT» 3");
    }

    [Fact]
    public void Redact_PartiallyOverlappingSecrets_NoCharacterOfEitherSurvives()
    {
        var redactor = For(("A", "abcdefgh"), ("B", "efghijkl"));

        redactor.Redact("[abcdefghijkl]").ShouldBe("[«secret:A»«secret:B»]");
    }

    [Fact]
    public void Redact_SameValueUnderTwoNames_UsesFirstNameInOrdinalOrder()
    {
        var redactor = For(("ZED", "shared-value"), ("ALPHA", "shared-value"));

        redactor.Redact("shared-value").ShouldBe("«secret:ALPHA»");
    }

    [Fact]
    public void Redact_NonAsciiValue_PlainAndBase64()
    {
        const string value = "pässwörd✓";
        var redactor = For(("U", value));

        redactor.Redact($"{value} {Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}").ShouldBe("«secret:U» «secret:U»");
    }

    [Fact]
    public void StableBase64_IsSubstringOfEveryBlobAtThatAlignment()
    {
        var value = Encoding.UTF8.GetBytes("secret!");
        for (var offset = 0; offset < 3; offset++)
        {
            var stable = SecretForms.StableBase64(value, offset);
            foreach (var (before, after) in new[] { ((byte)0x00, (byte)0x00), ((byte)0xFF, (byte)0xFF), ((byte)0x5A, (byte)0xA5) })
            {
                var stream = Enumerable.Repeat(before, offset + 3).Concat(value).Concat(Enumerable.Repeat(after, 3)).ToArray();
                Convert.ToBase64String(stream).ShouldContain(stable);
            }
        }
    }
}
