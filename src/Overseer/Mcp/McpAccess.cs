using System.Security.Claims;
using ModelContextProtocol;
using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Mcp;

/// <summary>
/// The checks a REST route's permission makes (<see cref="PermissionMiddleware"/>), made for one MCP
/// tool call: the same role, found in the same project, with the same answers — an item in a project
/// the caller cannot see is "not found", a role too low is refused naming the role needed. A refusal
/// is an <see cref="McpException"/>, which the client sees as the tool's error text.
/// </summary>
internal sealed class McpAccess(ProjectAccess access, IReadModel readModel, IScheduleStore schedules)
{
    /// <summary>Throws unless the caller has <paramref name="role"/> in the project of the item <paramref name="id"/> (or globally for <see cref="ProjectFrom.None"/>).</summary>
    public async Task RequireAsync(ClaimsPrincipal user, string role, ProjectFrom from, string? id, CancellationToken cancellationToken)
    {
        var global = user.Role();
        var permission = new Permission(role, from);
        if (from == ProjectFrom.None || Roles.AtLeast(global, Roles.Admin))
        {
            if (!Roles.AtLeast(global, role))
                throw Forbidden(permission, global);
            return;
        }
        var projectId = string.IsNullOrEmpty(id) ? null : await PermissionMiddleware.ProjectOfAsync(from, id, readModel, cancellationToken, schedules);
        var inProject = projectId is null ? null : await access.RoleInAsync(user, projectId, cancellationToken);
        if (inProject is null)
            throw NotFound(from, id);
        if (!Roles.AtLeast(inProject, role))
            throw Forbidden(permission, inProject);
    }

    /// <summary>The caller must have <paramref name="role"/> in the project they name (starting a session there): <see cref="Visibility.CheckProjectAsync"/>'s rule.</summary>
    public async Task RequireProjectAsync(ClaimsPrincipal user, string projectId, string role, CancellationToken cancellationToken)
    {
        var inProject = await access.RoleInAsync(user, projectId, cancellationToken);
        if (inProject is null)
            throw McpErrors.Of(ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'. list_projects names the projects you can use.");
        if (!Roles.AtLeast(inProject, role))
            throw McpErrors.Of(ErrorCodes.Forbidden, $"This needs the {role} role in project '{projectId}'; you have the {inProject} role.");
    }

    /// <summary>The projects the caller may see, or null for all (owners and admins).</summary>
    public async Task<IReadOnlyCollection<string>?> VisibleProjectsAsync(ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await access.VisibleProjectsAsync(user, cancellationToken);

    private static McpException Forbidden(Permission permission, string? has) => McpErrors.Of(ErrorCodes.Forbidden,
        $"This needs {permission.Describe()}; you have {(string.IsNullOrEmpty(has) ? "no role" : "the " + has + " role")}.");

    private static McpException NotFound(ProjectFrom from, string? id)
    {
        var (code, noun) = from switch
        {
            ProjectFrom.Session => (ErrorCodes.SessionNotFound, "session"),
            ProjectFrom.Approval => (ErrorCodes.ApprovalNotFound, "approval"),
            ProjectFrom.Question => (ErrorCodes.QuestionNotFound, "question"),
            ProjectFrom.Review => (ErrorCodes.ReviewNotFound, "review"),
            ProjectFrom.Dependency => (ErrorCodes.DependencyNotFound, "dependency"),
            _ => (ErrorCodes.ProjectNotFound, "project"),
        };
        return McpErrors.Of(code, $"No {noun} has id '{id}'.");
    }
}
