using System.Security.Cryptography;
using System.Text;

namespace Overseer.Auth;

/// <summary>API tokens: 256 random bits, shown once, stored only as a SHA-256 hash.</summary>
public static class ApiTokens
{
    public const string Prefix = "ovs_";

    public static string Generate() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
