using System.Security.Cryptography;

namespace Overseer.Core.Sessions;

/// <summary>Short, random, URL-safe ids with a readable prefix (<c>s_…</c> for sessions).</summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix)
    {
        // 16 base-36 characters ≈ 82 bits: unguessable and collision-free at any realistic scale.
        return prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 16);
    }
}
