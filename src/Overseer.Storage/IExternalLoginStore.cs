namespace Overseer.Storage;

/// <summary>Accounts at an OpenID provider, each linked to one user by the provider's (issuer, subject).</summary>
public interface IExternalLoginStore
{
    Task<ExternalLoginRecord?> FindAsync(string issuer, string subject, CancellationToken cancellationToken = default);

    /// <summary>Links an account to a user; false when the account is already linked (to anyone).</summary>
    Task<bool> AddAsync(ExternalLoginRecord login, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a user and links the account to them in one transaction, so a failed link never
    /// leaves a user behind: <see cref="ExternalUserCreation.NameTaken"/> when the user's name is
    /// taken, <see cref="ExternalUserCreation.AlreadyLinked"/> when the account was linked meanwhile.
    /// </summary>
    Task<ExternalUserCreation> AddWithUserAsync(UserRecord user, ExternalLoginRecord login, CancellationToken cancellationToken = default);

    /// <summary>The accounts linked to a user.</summary>
    Task<IReadOnlyList<ExternalLoginRecord>> ListAsync(string userId, CancellationToken cancellationToken = default);

    Task RecordUseAsync(string issuer, string subject, DateTimeOffset at, CancellationToken cancellationToken = default);
}

public sealed record ExternalLoginRecord(string Issuer, string Subject, string UserId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt = null);

public enum ExternalUserCreation
{
    Created,
    NameTaken,
    AlreadyLinked,
}
