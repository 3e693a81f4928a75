using System.Security.Cryptography;
using System.Text;

namespace Overseer.Core.Secrets;

/// <summary>
/// The 256-bit AES-GCM key the vault encrypts secret values under. Taken from the
/// <c>OVERSEER_VAULT_KEY</c> environment variable (base64) when set, else from
/// <c>&lt;dataDir&gt;/vault.key</c>, which is created with mode 0600 on first use.
/// </summary>
public sealed class VaultKey
{
    public const string EnvironmentVariable = "OVERSEER_VAULT_KEY";
    public const string FileName = "vault.key";
    public const int SizeInBytes = 32;

    private readonly byte[] _bytes;

    private VaultKey(byte[] bytes)
    {
        _bytes = bytes;
        KeyId = ComputeKeyId(bytes);
    }

    /// <summary>A short fingerprint of the key, stored in every envelope so a wrong key is reported as such rather than as tampering.</summary>
    public string KeyId { get; }

    internal ReadOnlySpan<byte> Bytes => _bytes;

    public static VaultKey Generate() => new(RandomNumberGenerator.GetBytes(SizeInBytes));

    public static VaultKey FromBase64(string value) => FromBase64(value, "the vault key");

    /// <summary>Loads the key from the environment variable if set, else from (or into) the data directory's key file.</summary>
    public static VaultKey LoadOrCreate(string dataDirectory) => LoadOrCreate(dataDirectory, Environment.GetEnvironmentVariable);

    /// <summary>Test seam: the environment is process-wide, so tests pass their own lookup instead of setting variables.</summary>
    internal static VaultKey LoadOrCreate(string dataDirectory, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var fromEnvironment = environment(EnvironmentVariable);
        if (fromEnvironment is not null)
        {
            // An empty variable is far more likely a broken deployment template than a wish to use the file.
            return FromBase64(fromEnvironment, $"environment variable {EnvironmentVariable}");
        }

        return VaultKeyFile.LoadOrCreate(Path.Combine(dataDirectory, FileName));
    }

    internal static VaultKey FromBase64(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
            throw new VaultKeyException($"{source} is empty; expected {SizeInBytes} bytes as base64.");

        var buffer = new byte[(trimmed.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var written))
            throw new VaultKeyException($"{source} is not valid base64; expected {SizeInBytes} bytes as base64.");
        if (written != SizeInBytes)
        {
            CryptographicOperations.ZeroMemory(buffer);
            throw new VaultKeyException($"{source} decodes to {written} bytes; an AES-256 key must be exactly {SizeInBytes} bytes.");
        }

        var bytes = buffer.AsSpan(0, SizeInBytes).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return new VaultKey(bytes);
    }

    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Writes the key (base64 text) to <paramref name="path"/> atomically with mode 0600, replacing any existing file.</summary>
    public void WriteTo(string path) => VaultKeyFile.Write(this, path, overwrite: true);

    // Never the key itself: keys end up in logs through string interpolation.
    public override string ToString() => $"VaultKey({KeyId})";

    private static string ComputeKeyId(byte[] key)
    {
        // Domain-separated so the id is not simply SHA-256(key), which other tools might also publish.
        var input = new byte[16 + key.Length];
        Encoding.ASCII.GetBytes("overseer-vault:1").CopyTo(input, 0);
        key.CopyTo(input, 16);
        var hash = SHA256.HashData(input);
        CryptographicOperations.ZeroMemory(input);
        return Convert.ToHexStringLower(hash, 0, 4);
    }
}
