using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Contracts.Text;
using Overseer.Storage;

namespace Overseer.SignIn.Oidc;

/// <summary>
/// Turns a validated id token into an Overseer user: the account is found by (issuer, subject),
/// or a user is created for it when <c>AutoCreateUsers</c> allows; then the group mappings set
/// the user's global role and project memberships. Never matched by name or e-mail: someone
/// who names themselves "admin" at the provider does not become Overseer's admin.
/// </summary>
internal sealed partial class OidcUserLinker(
    IOptions<OidcOptions> options, IUserStore users, IExternalLoginStore logins, IReadModel projects,
    AccessChanges changes, TimeProvider time, ILogger<OidcUserLinker> log)
{
    private const int MaxNameLength = 64;

    /// <summary>The user this account signs in as, with roles and memberships brought up to date; <see cref="OidcRefusal"/> when refused.</summary>
    public async Task<UserRecord> SignInAsync(ClaimsPrincipal token, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var subject = token.FindFirst("sub") ?? throw new OidcRefusal($"The {o.DisplayName} sign-in carried no subject (sub) claim.");
        var issuer = subject.Issuer;
        var groups = token.FindAll(o.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();

        var user = await LinkedUserAsync(issuer, subject.Value, cancellationToken) ?? await CreateAsync(token, issuer, subject.Value, groups, now, cancellationToken);
        if (user.DisabledAt is not null)
            throw new OidcRefusal($"Your Overseer user '{user.Name}' is disabled: ask an admin.");
        user = await ApplyGroupsAsync(user, groups, cancellationToken);
        await logins.RecordUseAsync(issuer, subject.Value, now, cancellationToken);
        return user;
    }

    private async Task<UserRecord?> LinkedUserAsync(string issuer, string subject, CancellationToken cancellationToken)
    {
        if (await logins.FindAsync(issuer, subject, cancellationToken) is not { } link)
            return null;
        return await users.FindAsync(link.UserId, cancellationToken)
            ?? throw new OidcRefusal("The Overseer user linked to this account was removed: ask an admin.");
    }

    private async Task<UserRecord> CreateAsync(ClaimsPrincipal token, string issuer, string subject, IReadOnlySet<string> groups, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.AutoCreateUsers)
            throw new OidcRefusal($"No Overseer user is linked to this {o.DisplayName} account, and this server does not create users on sign-in: ask an admin.");
        var name = NameFrom(token);
        var role = GlobalRole(groups) ?? o.DefaultRole;
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            var candidate = attempt == 1 ? name : $"{name}-{attempt}";
            var user = new UserRecord("u_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), candidate, role, null, now);
            switch (await logins.AddWithUserAsync(user, new ExternalLoginRecord(issuer, subject, user.Id, now), cancellationToken))
            {
                case ExternalUserCreation.Created:
                    UserCreated(log, user.Id, user.Name, user.Role, issuer);
                    return user;
                case ExternalUserCreation.AlreadyLinked:
                    // The same account signed in twice at once: the other sign-in created the user.
                    return await LinkedUserAsync(issuer, subject, cancellationToken) ?? throw new OidcRefusal("The sign-in raced another one; try again.");
            }
        }
        throw new OidcRefusal($"Every name like '{name}' is taken: ask an admin to create your user.");
    }

    /// <summary>
    /// When global mappings are configured, the provider decides the role on every sign-in: the
    /// highest mapped role among the account's groups, else the default role. Likewise each mapped
    /// project: the highest role its groups give, else no membership.
    /// </summary>
    private async Task<UserRecord> ApplyGroupsAsync(UserRecord user, IReadOnlySet<string> groups, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var changed = false;
        if (o.GroupMappings.Any(m => m.ProjectId is null))
        {
            var role = GlobalRole(groups) ?? o.DefaultRole;
            if (role != user.Role)
            {
                user = user with { Role = role };
                await users.UpdateAsync(user, cancellationToken);
                RoleChanged(log, user.Id, role);
                changed = true;
            }
        }
        var current = (await users.MembershipsAsync(userId: user.Id, cancellationToken: cancellationToken)).ToDictionary(m => m.ProjectId, m => m.Role, StringComparer.Ordinal);
        foreach (var project in o.GroupMappings.Where(m => m.ProjectId is not null).GroupBy(m => m.ProjectId!, StringComparer.Ordinal))
        {
            var role = project.Where(m => groups.Contains(m.Group)).Select(m => m.Role).OrderByDescending(Roles.Rank).FirstOrDefault();
            current.TryGetValue(project.Key, out var had);
            if (role == had)
                continue;
            if (role is not null && await projects.GetProjectAsync(project.Key, cancellationToken) is null)
            {
                UnknownProject(log, project.Key);
                continue;
            }
            await users.SetMembershipAsync(project.Key, user.Id, role, cancellationToken);
            changed = true;
        }
        if (changed)
            changes.Changed();
        return user;
    }

    private string? GlobalRole(IReadOnlySet<string> groups) =>
        options.Value.GroupMappings.Where(m => m.ProjectId is null && groups.Contains(m.Group)).Select(m => m.Role).OrderByDescending(Roles.Rank).FirstOrDefault();

    private string NameFrom(ClaimsPrincipal token)
    {
        foreach (var claim in new[] { options.Value.NameClaim, "preferred_username", "name", "email", "sub" })
        {
            var value = token.FindFirst(claim)?.Value.Trim();
            if (!string.IsNullOrEmpty(value) && value.Length <= MaxNameLength && NameText.Problem(value, "name") is null)
                return value;
        }
        return "user-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created user {UserId} '{Name}' ({Role}) on their first sign-in from {Issuer}.")]
    private static partial void UserCreated(ILogger logger, string userId, string name, string role, string issuer);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} now has role {Role} from their provider groups.")]
    private static partial void RoleChanged(ILogger logger, string userId, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:Oidc:GroupMappings names project {ProjectId}, which does not exist: its membership was not given.")]
    private static partial void UnknownProject(ILogger logger, string projectId);
}
