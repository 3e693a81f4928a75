using Overseer.Auth;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>What a request may see and start: the lists' project filter and the check of a project named in a body.</summary>
public static class Visibility
{
    /// <summary>The projects the caller may see, or null for all (owners and admins).</summary>
    public static async Task<IReadOnlyCollection<string>?> ProjectsAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<ProjectAccess>().VisibleProjectsAsync(context.User, context.RequestAborted);

    /// <summary>
    /// Null when the caller has <paramref name="required"/> in the project a body names; else the
    /// problem: the same "not found" as a missing project when they cannot see it, 403 when their role is too low.
    /// </summary>
    public static async Task<ApiProblem?> CheckProjectAsync(HttpContext context, string? projectId, string required, string field = "projectId")
    {
        if (string.IsNullOrWhiteSpace(projectId))
            return null; // the handler's own validation names the missing field
        var role = await context.RequestServices.GetRequiredService<ProjectAccess>().RoleInAsync(context.User, projectId, context.RequestAborted);
        if (role is null)
            return new(StatusCodes.Status400BadRequest, ErrorCodes.ProjectNotFound, $"No project has id '{projectId}'.", field);
        return Roles.AtLeast(role, required)
            ? null
            : new(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"This needs the {required} role in project '{projectId}'; you have the {role} role.", field);
    }
}
