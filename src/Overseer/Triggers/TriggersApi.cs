using Overseer.Api;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;

namespace Overseer.Triggers;

/// <summary>
/// <c>/api/triggers</c>: webhooks from GitHub, GitLab or any signing sender, mapped by rules to
/// templates; and each trigger's deliveries. A project's role is capped by the global one, so a
/// project's admins are admins: every route says so, and the handlers check the admin role in the
/// trigger's own project too.
/// </summary>
public static class TriggersApi
{
    public static RouteGroupBuilder MapTriggersApi(this RouteGroupBuilder api)
    {
        var triggers = api.MapGroup("/triggers").Requires(Roles.Admin);
        triggers.MapGet("", async (HttpContext context, TriggerCatalog catalog) =>
            TypedResults.Json(new ListResponse<TriggerDto>([.. await catalog.ListAsync(context.User, context.RequestAborted)], null), TriggerJson.Default.ListResponseTriggerDto));
        triggers.MapPost("", async (HttpContext context, TriggerCatalog catalog, IAuditLog audit, TimeProvider time) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, TriggerJson.Default.CreateTriggerRequest);
            if (problem is not null)
                return problem;
            var (created, refused) = await catalog.CreateAsync(context.User, request!, context.RequestAborted);
            if (created is null)
                return refused!.ToResult();
            await AuditAsync(audit, time, context, "trigger.created", created.Trigger);
            return TypedResults.Json(created, TriggerJson.Default.CreatedTriggerDto, statusCode: StatusCodes.Status201Created);
        });
        triggers.MapGet("/{id}", async (string id, HttpContext context, TriggerCatalog catalog) =>
        {
            var (trigger, refused) = await catalog.FindAsync(context.User, id, context.RequestAborted);
            return trigger is null ? refused!.ToResult() : TypedResults.Json(catalog.ToDto(trigger), TriggerJson.Default.TriggerDto);
        });
        triggers.MapPatch("/{id}", async (string id, HttpContext context, TriggerCatalog catalog, IAuditLog audit, TimeProvider time) =>
        {
            var (request, problem) = await JsonBody.ReadAsync(context.Request, TriggerJson.Default.UpdateTriggerRequest);
            if (problem is not null)
                return problem;
            var (updated, refused) = await catalog.UpdateAsync(context.User, id, request!, context.RequestAborted);
            if (updated is null)
                return refused!.ToResult();
            await AuditAsync(audit, time, context, "trigger.updated", updated);
            return TypedResults.Json(updated, TriggerJson.Default.TriggerDto);
        });
        triggers.MapDelete("/{id}", async (string id, HttpContext context, TriggerCatalog catalog, IAuditLog audit, TimeProvider time) =>
        {
            var (trigger, _) = await catalog.FindAsync(context.User, id, context.RequestAborted);
            if (await catalog.DeleteAsync(context.User, id, context.RequestAborted) is { } refused)
                return refused.ToResult();
            await AuditAsync(audit, time, context, "trigger.deleted", catalog.ToDto(trigger!));
            return TypedResults.NoContent();
        });
        // A new secret, shown once; the old one stops working at once.
        triggers.MapPost("/{id}/secret", async (string id, HttpContext context, TriggerCatalog catalog, IAuditLog audit, TimeProvider time) =>
        {
            var (created, refused) = await catalog.RotateSecretAsync(context.User, id, context.RequestAborted);
            if (created is null)
                return refused!.ToResult();
            await AuditAsync(audit, time, context, "trigger.secret_replaced", created.Trigger);
            return TypedResults.Json(created, TriggerJson.Default.CreatedTriggerDto);
        });
        triggers.MapGet("/{id}/deliveries", async (string id, HttpContext context, TriggerCatalog catalog) =>
        {
            if (!QueryParams.TryInt(context.Request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out var limit, out var badLimit))
                return badLimit!;
            var (deliveries, refused) = await catalog.DeliveriesAsync(context.User, id, limit, context.RequestAborted);
            return deliveries is null ? refused!.ToResult() : TypedResults.Json(new ListResponse<DeliveryDto>(deliveries, null), TriggerJson.Default.ListResponseDeliveryDto);
        });
        return api;
    }

    private static Task AuditAsync(IAuditLog audit, TimeProvider time, HttpContext context, string action, TriggerDto trigger) =>
        audit.RecordAsync(new AuditRecord(time.GetUtcNow(), action, context.User.Name(), context.User.UserId(), context.User.TokenId(), trigger.Id,
            $"{trigger.Name} ({trigger.Provider}, project {trigger.ProjectId})"), context.RequestAborted);
}
