using System.Security.Cryptography;
using System.Text;

namespace Overseer.Contracts.Events;

/// <summary>
/// A whole text an event refers to: <paramref name="Id"/> is the lowercase hex SHA-256 of its UTF-8
/// bytes, so the same text in one session is stored once whichever events refer to it.
/// </summary>
public sealed record NewBlob(string Id, string Text)
{
    /// <summary>The blob of <paramref name="text"/>, its id computed from its content.</summary>
    public static NewBlob Of(string text) => new(IdOf(text), text);

    public static string IdOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
