using Overseer.Auth;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Api;

/// <summary>People: owners manage them; anyone may set their own password.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users");
        users.MapGet("", async (UserAdmin admin, CancellationToken ct) =>
            TypedResults.Ok(new ListResponse<UserDto>(await admin.ListAsync(ct), null))).Requires(Roles.Owner);
        users.MapPost("", async (HttpContext context, UserAdmin admin) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.CreateUserRequest);
            if (problem is not null)
                return problem;
            var (user, refused) = await admin.AddAsync(request!.Name, request.Role, request.Password, context.RequestAborted);
            return user is not null ? TypedResults.Created($"/api/users/{user.Id}", user) : refused!.ToResult();
        }).Requires(Roles.Owner);
        users.MapGet("/{id}", async (string id, UserAdmin admin, CancellationToken ct) =>
            await admin.GetAsync(id, ct) is { } user
                ? TypedResults.Ok(user)
                : Problems.Result(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, $"No user has id '{id}'.")).Requires(Roles.Owner, ProjectFrom.Self);
        users.MapPatch("/{id}", async (string id, HttpContext context, UserAdmin admin) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.UpdateUserRequest);
            if (problem is not null)
                return problem;
            var (user, refused) = await admin.UpdateAsync(id, request!.Role, request.Disabled, context.RequestAborted);
            return user is not null ? TypedResults.Ok(user) : refused!.ToResult();
        }).Requires(Roles.Owner);
        users.MapDelete("/{id}", async (string id, HttpContext context, UserAdmin admin) =>
            await admin.RemoveAsync(id, context.RequestAborted) is { } refused ? refused.ToResult() : TypedResults.NoContent()).Requires(Roles.Owner);
        users.MapPut("/{id}/password", async (string id, HttpContext context, UserAdmin admin) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, OverseerJson.Default.SetPasswordRequest);
            if (problem is not null)
                return problem;
            return await admin.SetPasswordAsync(id, request!.Password, context.RequestAborted) is { } refused ? refused.ToResult() : TypedResults.NoContent();
        }).Requires(Roles.Owner, ProjectFrom.Self);
        return api;
    }
}
