namespace Overseer.Core.Secrets;

/// <summary>
/// The vault key is missing, malformed, unsafely stored, or not the key a secret was encrypted with.
/// The message names the problem and its source (file or environment variable) but never key material.
/// </summary>
public sealed class VaultKeyException : Exception
{
    public VaultKeyException()
    {
    }

    public VaultKeyException(string message)
        : base(message)
    {
    }

    public VaultKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
