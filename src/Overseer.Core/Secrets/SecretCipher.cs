using System.Security.Cryptography;
using System.Text;

namespace Overseer.Core.Secrets;

/// <summary>
/// Encrypts secret values as <c>v1:&lt;keyId&gt;:&lt;base64(nonce|ciphertext|tag)&gt;</c> with AES-256-GCM.
/// The nonce is 12 fresh random bytes per encryption; the secret's name is the associated data, so an
/// envelope copied onto another name fails authentication instead of handing out the wrong value.
/// </summary>
public static class SecretCipher
{
    private const string Version = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Encrypt(VaultKey key, string name, string plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(plaintext);

        var plain = Encoding.UTF8.GetBytes(plaintext);
        try
        {
            var payload = new byte[NonceSize + plain.Length + TagSize];
            var nonce = payload.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize, plain.Length), payload.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(name));
            return $"{Version}:{key.KeyId}:{Convert.ToBase64String(payload)}";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <exception cref="VaultKeyException">The envelope was written under a different key.</exception>
    /// <exception cref="SecretDecryptException">The envelope is malformed, tampered with, or belongs to another name.</exception>
    public static string Decrypt(VaultKey key, string name, string envelope)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(envelope);

        var (keyId, payload) = Parse(name, envelope);
        if (!string.Equals(keyId, key.KeyId, StringComparison.Ordinal))
        {
            throw new VaultKeyException(
                $"Secret '{name}' was encrypted under vault key {keyId}, but the loaded key is {key.KeyId}; " +
                "start with the key it was written under (or rotate with both keys).");
        }

        var plain = new byte[payload.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize, plain.Length), payload.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(name));
            return Encoding.UTF8.GetString(plain);
        }
        catch (CryptographicException e) when (e is not SecretDecryptException)
        {
            throw new SecretDecryptException($"Secret '{name}' failed authentication: its stored value was altered or belongs to another name.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Re-encrypts an envelope from the old key to the new one. An envelope already under <paramref name="to"/>
    /// is verified and returned unchanged, so a rotation interrupted half-way can simply be run again.
    /// </summary>
    public static string Reencrypt(VaultKey from, VaultKey to, string name, string envelope)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(envelope);

        if (!string.Equals(from.KeyId, to.KeyId, StringComparison.Ordinal) && string.Equals(KeyIdOf(envelope), to.KeyId, StringComparison.Ordinal))
        {
            Decrypt(to, name, envelope);
            return envelope;
        }

        return Encrypt(to, name, Decrypt(from, name, envelope));
    }

    /// <summary>The key id an envelope names, or null when it is not a v1 envelope. Lets a rotation or startup check spot foreign keys without decrypting.</summary>
    public static string? KeyIdOf(string envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var parts = envelope.Split(':');
        return parts is [Version, var keyId, _] ? keyId : null;
    }

    // Messages never quote the envelope: a caller that mixed up arguments might have passed the plaintext.
    private static (string KeyId, byte[] Payload) Parse(string name, string envelope)
    {
        var parts = envelope.Split(':');
        if (parts.Length != 3)
            throw new SecretDecryptException($"Secret '{name}' is not a vault envelope (expected {Version}:<keyId>:<data>).");
        if (parts[0] != Version)
            throw new SecretDecryptException($"Secret '{name}' uses an unsupported envelope version; this build reads {Version}.");

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException e)
        {
            throw new SecretDecryptException($"Secret '{name}' has an envelope whose data is not valid base64.", e);
        }

        if (payload.Length < NonceSize + TagSize)
            throw new SecretDecryptException($"Secret '{name}' has an envelope too short to hold a nonce and tag.");
        return (parts[1], payload);
    }
}
