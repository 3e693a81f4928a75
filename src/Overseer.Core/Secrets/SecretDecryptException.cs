using System.Security.Cryptography;

namespace Overseer.Core.Secrets;

/// <summary>
/// A stored secret could not be decrypted with the right key: the envelope is malformed, was tampered
/// with, or was copied from another secret's name (the name is the AES-GCM associated data).
/// Derives from <see cref="CryptographicException"/> so generic crypto error handling still catches it.
/// </summary>
public sealed class SecretDecryptException : CryptographicException
{
    public SecretDecryptException()
    {
    }

    public SecretDecryptException(string message)
        : base(message)
    {
    }

    public SecretDecryptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
