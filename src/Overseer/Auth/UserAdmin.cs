using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Adding, changing and removing people and their memberships, for the API and the dashboard
/// alike. Someone must always be able to manage users: the last enabled owner can be neither
/// removed, demoted nor disabled. After every change the token and membership caches are cleared,
/// so what changed applies to the very next request and to live streams' next event.
/// </summary>
public sealed partial class UserAdmin(IUserStore users, IReadModel readModel, AccessRevocations revocations, AccessChanges memberships, PasswordHasher<UserRecord> hasher, TimeProvider time)
{
    public const int MinPasswordLength = 10;

    // A hash of a megabyte costs real CPU for nothing: no password is that long.
    public const int MaxPasswordLength = 1024;

    public const int MaxNameLength = 64;

    /// <summary>The roles a membership may give: owners and admins already have theirs in every project.</summary>
    public static IReadOnlyList<string> MemberRoles { get; } = [Roles.Operator, Roles.Viewer];

    public async Task<IReadOnlyList<UserDto>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await users.ListAsync(cancellationToken)).Select(ToDto)];

    public async Task<UserDto?> GetAsync(string id, CancellationToken cancellationToken) =>
        await users.FindAsync(id, cancellationToken) is { } user ? ToDto(user) : null;

    public async Task<(UserDto? User, ApiProblem? Problem)> AddAsync(string? name, string? role, string? password, CancellationToken cancellationToken)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || !NamePattern().IsMatch(name))
            return (null, Invalid($"name must be 1 to {MaxNameLength} letters, digits, '.', '_', '-' or '@'.", "name"));
        role ??= Roles.Viewer;
        if (!Roles.IsKnown(role))
            return (null, Invalid($"role must be one of {string.Join(", ", Roles.All)}.", "role"));
        string? hash = null;
        if (password is not null)
        {
            if (PasswordProblem(password) is { } problem)
                return (null, problem);
            hash = hasher.HashPassword(null!, password);
        }
        var user = new UserRecord(Ids.New("u"), name, role, hash, time.GetUtcNow());
        if (!await users.AddAsync(user, cancellationToken))
            return (null, new(StatusCodes.Status409Conflict, ErrorCodes.UserExists, $"There is already a user named '{name}'.", "name"));
        return (ToDto(user), null);
    }

    public async Task<(UserDto? User, ApiProblem? Problem)> UpdateAsync(string id, string? role, bool? disabled, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(id, cancellationToken) is not { } user)
            return (null, NoSuchUser(id));
        if (role is not null && !Roles.IsKnown(role))
            return (null, Invalid($"role must be one of {string.Join(", ", Roles.All)}.", "role"));
        var updated = user with
        {
            Role = role ?? user.Role,
            DisabledAt = disabled switch { true => user.DisabledAt ?? time.GetUtcNow(), false => null, null => user.DisabledAt },
        };
        if (IsActiveOwner(user) && !IsActiveOwner(updated) && await ActiveOwnersAsync(cancellationToken) <= 1)
            return (null, LastOwner(user.Name, disabled == true ? "disabled" : "demoted"));
        await users.UpdateAsync(updated, cancellationToken);
        Changed(user.Id, "role or state changed");
        return (ToDto(updated), null);
    }

    public async Task<ApiProblem?> RemoveAsync(string id, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(id, cancellationToken) is not { } user)
            return NoSuchUser(id);
        if (IsActiveOwner(user) && await ActiveOwnersAsync(cancellationToken) <= 1)
            return LastOwner(user.Name, "removed");
        await users.RemoveAsync(id, time.GetUtcNow(), cancellationToken);
        Changed(user.Id, "user removed");
        return null;
    }

    /// <summary>Sets a password (hashed; the text is never stored, logged or echoed).</summary>
    public async Task<ApiProblem?> SetPasswordAsync(string id, string? password, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(id, cancellationToken) is not { } user)
            return NoSuchUser(id);
        if (password is null)
            return Invalid("password is required.", "password");
        if (PasswordProblem(password) is { } problem)
            return problem;
        await users.UpdateAsync(user with { PasswordHash = hasher.HashPassword(user, password) }, cancellationToken);
        Changed(user.Id, "password changed");
        return null;
    }

    public async Task<IReadOnlyList<MemberDto>> MembersAsync(string projectId, CancellationToken cancellationToken)
    {
        var byId = (await users.ListAsync(cancellationToken)).ToDictionary(u => u.Id, StringComparer.Ordinal);
        return
        [
            .. (await users.MembershipsAsync(projectId: projectId, cancellationToken: cancellationToken))
                .Where(m => byId.ContainsKey(m.UserId))
                .Select(m => new MemberDto(m.UserId, byId[m.UserId].Name, m.Role, byId[m.UserId].Role))
                .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase),
        ];
    }

    /// <summary>Makes a user a member of a project with a role (operator or viewer), or changes it; the user may be named by id or name.</summary>
    public async Task<(MemberDto? Member, ApiProblem? Problem)> SetMemberAsync(string projectId, string user, string? role, CancellationToken cancellationToken)
    {
        if (await NoSuchProjectAsync(projectId, cancellationToken) is { } missing)
            return (null, missing);
        if (role is null || !MemberRoles.Contains(role))
            return (null, Invalid($"role must be {string.Join(" or ", MemberRoles)} (owners and admins have their role in every project).", "role"));
        if (await FindAsync(user, cancellationToken) is not { } found)
            return (null, NoSuchUser(user));
        await users.SetMembershipAsync(projectId, found.Id, role, cancellationToken);
        memberships.Changed();
        return (new MemberDto(found.Id, found.Name, role, found.Role), null);
    }

    public async Task<ApiProblem?> RemoveMemberAsync(string projectId, string user, CancellationToken cancellationToken)
    {
        if (await NoSuchProjectAsync(projectId, cancellationToken) is { } missing)
            return missing;
        if (await FindAsync(user, cancellationToken) is not { } found
            || !(await users.MembershipsAsync(found.Id, projectId, cancellationToken)).Any())
            return new(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, $"'{user}' is not a member of project '{projectId}'.");
        await users.SetMembershipAsync(projectId, found.Id, null, cancellationToken);
        memberships.Changed();
        return null;
    }

    /// <summary>
    /// PROJECT_NOT_FOUND when the project does not exist (owners and admins reach here without the
    /// middleware looking it up, as they have their role everywhere).
    /// </summary>
    public async Task<ApiProblem?> NoSuchProjectAsync(string projectId, CancellationToken cancellationToken) =>
        await readModel.GetProjectAsync(projectId, cancellationToken) is null
            ? new(StatusCodes.Status404NotFound, ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'.")
            : null;

    private async Task<UserRecord?> FindAsync(string idOrName, CancellationToken cancellationToken) =>
        await users.FindAsync(idOrName, cancellationToken) ?? await users.FindByNameAsync(idOrName, cancellationToken);

    /// <summary>
    /// After a change to a user themselves (role, state, password, removal): caches forgotten,
    /// cookies checked again, and their open streams and sockets closed (a client still allowed
    /// reconnects with its new rights). A membership change closes nothing: streams and sockets
    /// check each event against the memberships, so they follow it live.
    /// </summary>
    private void Changed(string userId, string reason) => revocations.UserChanged(userId, reason);

    private static bool IsActiveOwner(UserRecord user) => user.Role == Roles.Owner && user.DisabledAt is null;

    private async Task<int> ActiveOwnersAsync(CancellationToken cancellationToken) =>
        (await users.ListAsync(cancellationToken)).Count(IsActiveOwner);

    private static ApiProblem? PasswordProblem(string password) =>
        password.Length < MinPasswordLength
            ? new(StatusCodes.Status400BadRequest, ErrorCodes.PasswordTooShort, $"A password must be at least {MinPasswordLength} characters.", "password")
            : password.Length > MaxPasswordLength
                ? Invalid($"A password may be at most {MaxPasswordLength} characters.", "password")
                : null;

    private static ApiProblem Invalid(string message, string field) => new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, message, field);

    private static ApiProblem NoSuchUser(string id) => new(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, $"No user has id or name '{id}'.");

    private static ApiProblem LastOwner(string name, string what) =>
        new(StatusCodes.Status409Conflict, ErrorCodes.LastOwner, $"{name} is the last owner and cannot be {what}: make someone else an owner first.");

    public static UserDto ToDto(UserRecord user) => new(user.Id, user.Name, user.Role, user.PasswordHash is not null, user.CreatedAt, user.DisabledAt);

    [GeneratedRegex(@"^[\p{L}\p{N}._@-]+$")]
    private static partial Regex NamePattern();
}
