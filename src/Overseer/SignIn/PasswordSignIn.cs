using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Overseer.Storage;

namespace Overseer.SignIn;

/// <summary>
/// Checks a name and password against the stored PBKDF2 hash (ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/>, default options), and stores a stronger hash when the
/// hasher says the old one is due. A name that does not exist, has no password or is disabled
/// costs the same hash as a wrong password, so timing does not tell names apart.
/// </summary>
internal sealed class PasswordSignIn(IUserStore users, IPasswordHasher<UserRecord> hasher)
{
    private static readonly UserRecord Nobody = new("", "", "", null, DateTimeOffset.UnixEpoch);
    private readonly Lazy<string> _decoy = new(() => hasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));

    /// <summary>The user, or null for any kind of failure (the caller says only "name or password is wrong").</summary>
    public async Task<UserRecord?> VerifyAsync(string name, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(name, cancellationToken);
        if (user?.PasswordHash is not { } hash)
        {
            hasher.VerifyHashedPassword(Nobody, _decoy.Value, password);
            return null;
        }
        var result = hasher.VerifyHashedPassword(user, hash, password);
        if (result == PasswordVerificationResult.Failed || user.DisabledAt is not null)
            return null;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user = user with { PasswordHash = hasher.HashPassword(user, password) };
            await users.UpdateAsync(user, cancellationToken);
        }
        return user;
    }
}
