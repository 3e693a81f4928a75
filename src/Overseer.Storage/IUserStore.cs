namespace Overseer.Storage;

/// <summary>People who sign in, and the projects they are members of.</summary>
public interface IUserStore
{
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a user; false when the name is taken (names are unique, case-insensitively).</summary>
    Task<bool> AddAsync(UserRecord user, CancellationToken cancellationToken = default);

    Task<UserRecord?> FindAsync(string id, CancellationToken cancellationToken = default);
    Task<UserRecord?> FindByNameAsync(string name, CancellationToken cancellationToken = default);
    Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces a user's role, password hash and disabled time; false when there is no such user.</summary>
    Task<bool> UpdateAsync(UserRecord user, CancellationToken cancellationToken = default);

    /// <summary>Removes a user with their memberships, and revokes their tokens; false when there is no such user.</summary>
    Task<bool> RemoveAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Makes a user a member of a project with a role, or changes that role; a null role removes the membership.</summary>
    Task SetMembershipAsync(string projectId, string userId, string? role, CancellationToken cancellationToken = default);

    /// <summary>Memberships, of one user or one project or all when both are null.</summary>
    Task<IReadOnlyList<ProjectMembership>> MembershipsAsync(string? userId = null, string? projectId = null, CancellationToken cancellationToken = default);
}

/// <summary>A person. <paramref name="Role"/> is one of <c>Overseer.Contracts.Api.Roles</c>; the password is a PBKDF2 hash or null.</summary>
public sealed record UserRecord(string Id, string Name, string Role, string? PasswordHash, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt = null);

public sealed record ProjectMembership(string ProjectId, string UserId, string Role);
