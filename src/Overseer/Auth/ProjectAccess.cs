using System.Security.Claims;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// What role a caller has in a project: owners and admins have theirs everywhere; operators and
/// viewers have the role of their membership, capped by their token's ceiling, and none where
/// they are not members. Memberships are read once and kept until one changes
/// (<see cref="Invalidate"/>), so asking costs no database read on the hot path.
/// </summary>
public sealed class ProjectAccess(IUserStore users)
{
    private volatile Dictionary<string, Dictionary<string, string>>? _byUser;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private int _version;

    /// <summary>The caller's role in <paramref name="projectId"/>, or null when they have none there.</summary>
    public async ValueTask<string?> RoleInAsync(ClaimsPrincipal caller, string projectId, CancellationToken cancellationToken = default)
    {
        var global = caller.Role();
        // Owners and admins have their role in every project, capped by their token's ceiling.
        if (Roles.AtLeast(caller.UserRole(), Roles.Admin))
            return Roles.AtLeast(global, Roles.Viewer) ? global : null;
        if (caller.UserId() is not { } userId)
            return null;
        var memberships = await MembershipsAsync(cancellationToken);
        if (!memberships.TryGetValue(userId, out var projects) || !projects.TryGetValue(projectId, out var role))
            return null;
        return Roles.Min(role, global);
    }

    /// <summary>Whether the caller has at least <paramref name="required"/> in the project.</summary>
    public async ValueTask<bool> HasAsync(ClaimsPrincipal caller, string projectId, string required, CancellationToken cancellationToken = default) =>
        Roles.AtLeast(await RoleInAsync(caller, projectId, cancellationToken), required);

    /// <summary>The projects the caller may see, or null when they may see every project (owners and admins).</summary>
    public async ValueTask<IReadOnlySet<string>?> VisibleProjectsAsync(ClaimsPrincipal caller, CancellationToken cancellationToken = default)
    {
        if (Roles.AtLeast(caller.UserRole(), Roles.Admin) && Roles.AtLeast(caller.Role(), Roles.Viewer))
            return null;
        if (caller.UserId() is not { } userId || !Roles.AtLeast(caller.Role(), Roles.Viewer))
            return new HashSet<string>();
        var memberships = await MembershipsAsync(cancellationToken);
        return memberships.TryGetValue(userId, out var projects) ? projects.Keys.ToHashSet(StringComparer.Ordinal) : new HashSet<string>();
    }

    /// <summary>Forgets the memberships read so far; call after any membership or user changes.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _version);
        _byUser = null;
    }

    private async ValueTask<Dictionary<string, Dictionary<string, string>>> MembershipsAsync(CancellationToken cancellationToken)
    {
        if (_byUser is { } cached)
            return cached;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_byUser is { } loaded)
                return loaded;
            // A change made while reading must not be overwritten by what was read before it.
            var version = Volatile.Read(ref _version);
            var byUser = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var m in await users.MembershipsAsync(cancellationToken: cancellationToken))
            {
                if (!byUser.TryGetValue(m.UserId, out var projects))
                    byUser[m.UserId] = projects = new Dictionary<string, string>(StringComparer.Ordinal);
                projects[m.ProjectId] = m.Role;
            }
            if (version == Volatile.Read(ref _version))
                _byUser = byUser;
            return byUser;
        }
        finally
        {
            _loading.Release();
        }
    }
}
