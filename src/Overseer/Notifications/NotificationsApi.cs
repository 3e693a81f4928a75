using Overseer.Auth;
using System.Text.Json;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// <c>/api/notifications</c>: each user's own channels and preferences, the notifications sent to
/// them with every delivery attempt, and the dead-letter list with redelivery. Admins and owners
/// see and redeliver everyone's notifications (<c>?all=true</c>); channels are always one's own.
/// </summary>
public static class NotificationsApi
{
    private static readonly string[] Statuses = [NotificationStatuses.Pending, NotificationStatuses.Sent, NotificationStatuses.Dead, NotificationStatuses.Dropped];

    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        // Everyone signed in has their own channels and notifications; the handlers keep them apart
        // (and let only admins list everyone's).
        var group = api.MapGroup("/notifications").Requires(Roles.Viewer);
        group.MapGet("/channels", ListChannelsAsync);
        group.MapPost("/channels", CreateChannelAsync);
        group.MapGet("/channels/{id}", GetChannelAsync);
        group.MapPatch("/channels/{id}", UpdateChannelAsync);
        group.MapDelete("/channels/{id}", DeleteChannelAsync);
        group.MapGet("/webpush", (Channels.VapidKeys keys) => TypedResults.Ok(new WebPushKeyDto(keys.PublicKey)));
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPost("/{id}/redeliver", RedeliverAsync);
        return api;
    }

    private static async Task<IResult> ListChannelsAsync(HttpContext context, INotificationStore store)
    {
        if (context.User.UserId() is not { } userId)
            return NoUser();
        var channels = await store.ListChannelsAsync(userId, context.RequestAborted);
        return TypedResults.Ok(new ListResponse<ChannelDto>([.. channels.Select(c => Dto(c))], null));
    }

    private static async Task<IResult> CreateChannelAsync(HttpContext context, ChannelEditor editor)
    {
        if (context.User.UserId() is not { } userId)
            return NoUser();
        var (request, problem) = await JsonBody.ReadAsync(context.Request, NotificationJson.Default.CreateChannelRequest);
        if (problem is not null)
            return problem;
        var (channel, refused) = await editor.CreateAsync(userId, request!, context.RequestAborted);
        return refused is not null ? refused.ToResult() : TypedResults.Created($"/api/notifications/channels/{channel!.Id}", Dto(channel, showSecret: true));
    }

    private static async Task<IResult> GetChannelAsync(string id, HttpContext context, ChannelEditor editor) =>
        await editor.FindAsync(context.User.UserId() ?? "", id, context.RequestAborted) is { } channel ? TypedResults.Ok(Dto(channel)) : ChannelNotFound(id);

    private static async Task<IResult> UpdateChannelAsync(string id, HttpContext context, ChannelEditor editor)
    {
        if (context.User.UserId() is not { } userId)
            return NoUser();
        if (await editor.FindAsync(userId, id, context.RequestAborted) is null)
            return ChannelNotFound(id);
        var (request, problem) = await JsonBody.ReadAsync(context.Request, NotificationJson.Default.UpdateChannelRequest);
        if (problem is not null)
            return problem;
        var (updated, refused) = await editor.UpdateAsync(userId, id, request!, context.RequestAborted);
        return refused is not null ? refused.ToResult() : TypedResults.Ok(Dto(updated!));
    }

    private static async Task<IResult> DeleteChannelAsync(string id, HttpContext context, ChannelEditor editor) =>
        await editor.RemoveAsync(context.User.UserId() ?? "", id, context.RequestAborted) is { } refused ? refused.ToResult() : TypedResults.NoContent();

    private static async Task<IResult> ListAsync(HttpContext context, INotificationStore store)
    {
        if (context.User.UserId() is not { } userId)
            return NoUser();
        var status = context.Request.Query["status"].FirstOrDefault();
        if (status is not null && !Statuses.Contains(status))
            return Problems.Result(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"Query parameter 'status' must be one of {string.Join(", ", Statuses)}.", "status");
        if (!QueryParams.TryInt(context.Request, "limit", ListLimits.DefaultPageSize, 1, ListLimits.MaxPageSize, out var limit, out var invalid))
            return invalid!;
        var all = context.Request.Query["all"].FirstOrDefault() == "true";
        if (all && !Roles.AtLeast(context.User.Role(), Roles.Admin))
            return Problems.Result(StatusCodes.Status403Forbidden, NotificationErrors.Forbidden, "Only admins and owners see everyone's notifications (all=true).", "all");
        var rows = await store.ListAsync(all ? null : userId, status, limit, context.RequestAborted);
        return TypedResults.Ok(new ListResponse<NotificationDto>([.. rows.Select(r => Dto(r, null))], null));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, INotificationStore store)
    {
        if (await VisibleAsync(id, context, store) is not { } row)
            return NotificationNotFound(id);
        var attempts = await store.AttemptsAsync(id, context.RequestAborted);
        return TypedResults.Ok(Dto(row, attempts));
    }

    private static async Task<IResult> RedeliverAsync(string id, HttpContext context, INotificationStore store, NotificationSignal signal, TimeProvider time)
    {
        if (await VisibleAsync(id, context, store) is not { } row)
            return NotificationNotFound(id);
        if (!await store.RedeliverAsync(id, time.GetUtcNow(), context.RequestAborted))
            return Problems.Result(StatusCodes.Status409Conflict, NotificationErrors.NotDead, $"Notification '{id}' is {row.Status}; only a dead one is redelivered.");
        signal.Wake();
        return TypedResults.Accepted($"/api/notifications/{id}", Dto((await store.FindAsync(id, context.RequestAborted))!, null));
    }

    private static async Task<NotificationRecord?> VisibleAsync(string id, HttpContext context, INotificationStore store)
    {
        var row = await store.FindAsync(id, context.RequestAborted);
        return row is not null && (row.UserId == context.User.UserId() || Roles.AtLeast(context.User.Role(), Roles.Admin)) ? row : null;
    }

    private static ChannelDto Dto(NotificationChannelRecord c, bool showSecret = false) => new(c.Id, c.UserId, c.Type, c.Name,
        JsonSerializer.Deserialize(c.Target, NotificationJson.Default.ChannelTarget)! with { Token = null },
        NotificationFanOut.Preferences(c), c.Enabled, c.CreatedAt, showSecret ? c.Secret : null);

    private static NotificationDto Dto(NotificationRecord n, IReadOnlyList<AttemptRecord>? attempts) => new(
        n.Id, n.ChannelId, n.UserId, n.SessionId, n.ProjectId, n.Kind, n.ItemId, n.Status, n.Attempts, n.DueAt, n.CreatedAt, n.SentAt,
        n.DeliveryKey, n.LastError, attempts?.Select(a => new AttemptDto(a.Attempt, a.DeliveryKey, a.At, a.Outcome, a.Detail, a.DurationMs)).ToList());

    private static IResult NoUser() =>
        Problems.Result(StatusCodes.Status403Forbidden, NotificationErrors.Forbidden, "Notifications belong to a user; this request is not signed in as one.");

    private static IResult ChannelNotFound(string id) =>
        Problems.Result(StatusCodes.Status404NotFound, NotificationErrors.ChannelNotFound, $"You have no notification channel with id '{id}'.");

    private static IResult NotificationNotFound(string id) =>
        Problems.Result(StatusCodes.Status404NotFound, NotificationErrors.NotificationNotFound, $"No notification of yours has id '{id}'.");
}
