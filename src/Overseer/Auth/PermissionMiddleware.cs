using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Auth;

/// <summary>
/// Enforces every endpoint's declared <see cref="Permission"/> before its handler runs. An
/// endpoint that declares none is refused (deny by default). Items in projects the caller cannot
/// see answer 404 exactly as ones that do not exist, so their existence is not revealed; a caller
/// who can see the item but whose role is too low gets 403 FORBIDDEN naming the role needed.
/// </summary>
public sealed class PermissionMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, ProjectAccess access, IReadModel readModel, IScheduleStore schedules)
    {
        if (context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }
        var permission = endpoint.Metadata.GetMetadata<Permission>();
        if (permission?.IsPublic == true)
        {
            await next(context);
            return;
        }
        var denial = endpoint.Metadata.GetMetadata<IPermissionDenial>() ?? ProblemDenial.Instance;
        if (permission is null)
        {
            await denial.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                "This route declares no permission, so nobody may use it.");
            return;
        }
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.ChallengeAsync(context);
            return;
        }
        var global = user.Role();
        var id = context.GetRouteValue(permission.RouteKey) as string;
        switch (permission.From)
        {
            case ProjectFrom.None:
                if (!Roles.AtLeast(global, permission.Role))
                {
                    await ForbidAsync(context, denial, permission, global);
                    return;
                }
                break;
            case ProjectFrom.Self:
                if (id != user.UserId() && !Roles.AtLeast(global, permission.Role))
                {
                    await ForbidAsync(context, denial, permission, global);
                    return;
                }
                break;
            case var _ when Roles.AtLeast(global, Roles.Admin):
                // Owners and admins have their role in every project: nothing to look up (the
                // handler answers for an item that does not exist, after checking the input).
                if (!Roles.AtLeast(global, permission.Role))
                {
                    await ForbidAsync(context, denial, permission, global);
                    return;
                }
                break;
            default:
                var projectId = id is null ? null : await ProjectOfAsync(permission.From, id, readModel, context.RequestAborted, schedules);
                var role = projectId is null ? null : await access.RoleInAsync(user, projectId, context.RequestAborted);
                if (role is null)
                {
                    var (code, noun) = NotFound(permission.From);
                    await denial.WriteAsync(context, StatusCodes.Status404NotFound, code, $"No {noun} has id '{id}'.");
                    return;
                }
                if (!Roles.AtLeast(role, permission.Role))
                {
                    await ForbidAsync(context, denial, permission, role);
                    return;
                }
                break;
        }
        await next(context);
    }

    private static Task ForbidAsync(HttpContext context, IPermissionDenial denial, Permission permission, string? has) =>
        denial.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
            $"This needs {permission.Describe()}; you have {(string.IsNullOrEmpty(has) ? "no role" : "the " + has + " role")}.");

    /// <summary>The project an item belongs to (through its session), or null when there is no such item.</summary>
    public static async Task<string?> ProjectOfAsync(ProjectFrom from, string id, IReadModel readModel, CancellationToken cancellationToken, IScheduleStore? schedules = null)
    {
        if (from == ProjectFrom.Schedule)
            return schedules is null ? null : (await schedules.FindAsync(id, cancellationToken))?.ProjectId;
        var sessionId = from switch
        {
            ProjectFrom.Project => null,
            ProjectFrom.Session => id,
            ProjectFrom.Approval => (await readModel.GetApprovalAsync(id, cancellationToken))?.SessionId,
            ProjectFrom.Question => (await readModel.GetQuestionAsync(id, cancellationToken))?.SessionId,
            ProjectFrom.Review => (await readModel.GetReviewAsync(id, cancellationToken))?.SessionId,
            ProjectFrom.Dependency => (await readModel.GetDependencyAsync(id, cancellationToken))?.SessionId,
            _ => throw new ArgumentOutOfRangeException(nameof(from), from, null),
        };
        if (from == ProjectFrom.Project)
            return (await readModel.GetProjectAsync(id, cancellationToken))?.Id;
        return sessionId is null ? null : (await readModel.GetSessionAsync(sessionId, cancellationToken))?.ProjectId;
    }

    private static (string Code, string Noun) NotFound(ProjectFrom from) => from switch
    {
        ProjectFrom.Project => (ErrorCodes.ProjectNotFound, "project"),
        ProjectFrom.Session => (ErrorCodes.SessionNotFound, "session"),
        ProjectFrom.Schedule => (ErrorCodes.ScheduleNotFound, "schedule"),
        ProjectFrom.Approval => (ErrorCodes.ApprovalNotFound, "approval"),
        ProjectFrom.Question => (ErrorCodes.QuestionNotFound, "question"),
        ProjectFrom.Review => (ErrorCodes.ReviewNotFound, "review"),
        _ => (ErrorCodes.DependencyNotFound, "dependency"),
    };
}
