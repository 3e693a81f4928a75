using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>A project's members: anyone who sees the project may list them; admins change them.</summary>
public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/projects/{id}/members");
        members.MapGet("", async (string id, UserAdmin admin, CancellationToken ct) =>
            await admin.NoSuchProjectAsync(id, ct) is { } missing
                ? missing.ToResult()
                : TypedResults.Ok(new ListResponse<MemberDto>(await admin.MembersAsync(id, ct), null))).Requires(Roles.Viewer, ProjectFrom.Project);
        members.MapPut("/{userId}", async (string id, string userId, HttpContext context, UserAdmin admin) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.PutMemberRequest);
            if (problem is not null)
                return problem;
            var (member, refused) = await admin.SetMemberAsync(id, userId, request!.Role, context.RequestAborted);
            return member is not null ? TypedResults.Ok(member) : refused!.ToResult();
        }).Requires(Roles.Admin, ProjectFrom.Project);
        members.MapDelete("/{userId}", async (string id, string userId, HttpContext context, UserAdmin admin) =>
            await admin.RemoveMemberAsync(id, userId, context.RequestAborted) is { } refused ? refused.ToResult() : TypedResults.NoContent())
            .Requires(Roles.Admin, ProjectFrom.Project);
        return api;
    }
}
