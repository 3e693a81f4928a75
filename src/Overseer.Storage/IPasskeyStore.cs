namespace Overseer.Storage;

/// <summary>Passkeys (WebAuthn credentials) people sign in to the dashboard with.</summary>
public interface IPasskeyStore
{
    /// <summary>Adds a passkey; false when a passkey with this credential id is already registered (to anyone).</summary>
    Task<bool> AddAsync(PasskeyRecord passkey, CancellationToken cancellationToken = default);

    Task<PasskeyRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default);

    /// <summary>A user's passkeys, oldest first.</summary>
    Task<IReadOnlyList<PasskeyRecord>> ListAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Records a successful sign-in: the authenticator's new signature counter and when.</summary>
    Task RecordUseAsync(byte[] credentialId, uint signCount, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Renames one of the user's passkeys; false when the user has no such passkey.</summary>
    Task<bool> RenameAsync(string userId, byte[] credentialId, string name, CancellationToken cancellationToken = default);

    /// <summary>Removes one of the user's passkeys; false when the user has no such passkey.</summary>
    Task<bool> RemoveAsync(string userId, byte[] credentialId, CancellationToken cancellationToken = default);
}

/// <summary>A passkey: the credential's id and COSE public key, the authenticator's signature counter, a name its owner chose.</summary>
public sealed record PasskeyRecord(
    byte[] CredentialId,
    string UserId,
    byte[] PublicKey,
    uint SignCount,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt = null);
