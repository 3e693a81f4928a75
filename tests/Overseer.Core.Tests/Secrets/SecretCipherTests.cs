using System.Security.Cryptography;
using Overseer.Core.Secrets;

namespace Overseer.Core.Tests.Secrets;

public sealed class SecretCipherTests
{
    private readonly VaultKey _key = VaultKey.Generate();

    [Theory]
    [InlineData("")]
    [InlineData("hunter2-password")]
    [InlineData("ünïcødé ✓ 🔑 with:colons:in:it")]
    public void EncryptDecrypt_RoundTrips(string value)
    {
        var envelope = SecretCipher.Encrypt(_key, "API_TOKEN", value);

        SecretCipher.Decrypt(_key, "API_TOKEN", envelope).ShouldBe(value);
    }

    [Fact]
    public void Encrypt_EnvelopeIsVersionedWithKeyIdAndFreshNonce()
    {
        var first = SecretCipher.Encrypt(_key, "N", "same value");
        var second = SecretCipher.Encrypt(_key, "N", "same value");

        first.ShouldStartWith($"v1:{_key.KeyId}:");
        Convert.FromBase64String(first.Split(':')[2]).Length.ShouldBe(12 + "same value".Length + 16);
        second.ShouldNotBe(first);
        first.ShouldNotContain("same value");
        SecretCipher.KeyIdOf(first).ShouldBe(_key.KeyId);
        SecretCipher.KeyIdOf("plain text").ShouldBeNull();
    }

    [Theory]
    [InlineData(0)]   // nonce
    [InlineData(15)]  // ciphertext
    [InlineData(-1)]  // tag
    public void Decrypt_TamperedPayload_ThrowsSecretDecryptException(int index)
    {
        var envelope = SecretCipher.Encrypt(_key, "N", "a secret value");
        var parts = envelope.Split(':');
        var payload = Convert.FromBase64String(parts[2]);
        payload[index < 0 ? payload.Length + index : index] ^= 0x01;
        var tampered = $"{parts[0]}:{parts[1]}:{Convert.ToBase64String(payload)}";

        var error = Should.Throw<SecretDecryptException>(() => SecretCipher.Decrypt(_key, "N", tampered));

        error.ShouldBeAssignableTo<CryptographicException>();
        error.Message.ShouldNotContain("a secret value");
    }

    [Fact]
    public void Decrypt_EnvelopeMovedToAnotherName_Fails()
    {
        var envelope = SecretCipher.Encrypt(_key, "GITHUB_TOKEN", "ghp_value");

        Should.Throw<SecretDecryptException>(() => SecretCipher.Decrypt(_key, "NPM_TOKEN", envelope)).Message.ShouldContain("NPM_TOKEN");
    }

    [Fact]
    public void Decrypt_OtherKey_ThrowsVaultKeyExceptionNamingBothIds()
    {
        var envelope = SecretCipher.Encrypt(_key, "N", "value");
        var other = VaultKey.Generate();

        var error = Should.Throw<VaultKeyException>(() => SecretCipher.Decrypt(other, "N", envelope));

        error.Message.ShouldContain(_key.KeyId);
        error.Message.ShouldContain(other.KeyId);
    }

    [Theory]
    [InlineData("plaintext-passed-by-mistake")]
    [InlineData("v2:abcd1234:AAAA")]
    [InlineData("v1:abcd1234:not*base64")]
    [InlineData("v1:abcd1234:AAAAAAAA")]
    [InlineData("v1:a:b:c")]
    public void Decrypt_MalformedEnvelope_ThrowsWithoutEchoingIt(string envelope)
    {
        var error = Should.Throw<SecretDecryptException>(() => SecretCipher.Decrypt(_key, "N", envelope.Replace("abcd1234", _key.KeyId, StringComparison.Ordinal)));

        error.Message.ShouldNotContain("plaintext-passed-by-mistake");
    }

    [Fact]
    public void Reencrypt_Rotation_NewKeyDecryptsOldKeyNoLonger()
    {
        var rotated = VaultKey.Generate();
        var old = SecretCipher.Encrypt(_key, "DB_PASSWORD", "s3cret-db");

        var fresh = SecretCipher.Reencrypt(_key, rotated, "DB_PASSWORD", old);

        SecretCipher.Decrypt(rotated, "DB_PASSWORD", fresh).ShouldBe("s3cret-db");
        Should.Throw<VaultKeyException>(() => SecretCipher.Decrypt(_key, "DB_PASSWORD", fresh));
        // Even with the key id forged to the old key's, the old key cannot authenticate the new ciphertext.
        var forged = $"v1:{_key.KeyId}:{fresh.Split(':')[2]}";
        Should.Throw<SecretDecryptException>(() => SecretCipher.Decrypt(_key, "DB_PASSWORD", forged));
    }

    [Fact]
    public void Reencrypt_AlreadyUnderNewKey_ReturnedUnchangedSoRotationCanResume()
    {
        var rotated = VaultKey.Generate();
        var fresh = SecretCipher.Reencrypt(_key, rotated, "N", SecretCipher.Encrypt(_key, "N", "value"));

        SecretCipher.Reencrypt(_key, rotated, "N", fresh).ShouldBeSameAs(fresh);
    }

    [Fact]
    public void Reencrypt_WrongName_Fails()
    {
        var envelope = SecretCipher.Encrypt(_key, "A", "value");

        Should.Throw<SecretDecryptException>(() => SecretCipher.Reencrypt(_key, VaultKey.Generate(), "B", envelope));
    }
}
