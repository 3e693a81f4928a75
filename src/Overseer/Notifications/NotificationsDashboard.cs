using Overseer.Contracts.Api;
using Overseer.Auth;
using System.Security.Cryptography;
using System.Text.Json;
using Overseer.Api;
using Overseer.Dashboard;
using Overseer.Dashboard.Components;
using Overseer.Notifications.Channels;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// The dashboard's notifications page: the signed-in user's channels, what was sent to them with
/// its status and attempts (dead ones can be redelivered), and "Notify this device", which
/// subscribes the browser to Web Push and keeps the subscription as a webpush channel.
/// </summary>
internal static class NotificationsDashboard
{
    public static IEndpointRouteBuilder MapNotificationsDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notifications", PageAsync).RequireAuthorization(DashboardServiceCollectionExtensions.Policy).AddEndpointFilter(SecurityHeaders.Filter).Requires(Roles.Viewer);
        var ui = app.MapGroup("/ui/notifications").RequireAuthorization(DashboardServiceCollectionExtensions.Policy).Requires(Roles.Viewer);
        ui.AddEndpointFilter(async (context, next) =>
        {
            SecurityHeaders.Apply(context.HttpContext.Response);
            return await DashboardCsrf.IsValidAsync(context.HttpContext)
                ? await next(context)
                : Results.Text("This page has expired. Reload it and try again.", statusCode: StatusCodes.Status400BadRequest);
        });
        ui.MapPost("/push", SubscribeAsync);
        ui.MapPost("/channels", CreateChannelAsync);
        ui.MapPost("/channels/{id}", UpdateChannelAsync);
        ui.MapPost("/channels/{id}/remove", async (string id, HttpContext context, ChannelEditor editor) =>
        {
            if (await editor.RemoveAsync(context.User.UserId() ?? "", id, context.RequestAborted) is { } refused)
                return DashboardActions.Toast(context, refused.Message, refused.Status);
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        });
        ui.MapPost("/{id}/redeliver", async (string id, HttpContext context, INotificationStore store, NotificationSignal signal, TimeProvider time) =>
        {
            var row = await store.FindAsync(id, context.RequestAborted);
            if (row is null || row.UserId != context.User.UserId() || !await store.RedeliverAsync(id, time.GetUtcNow(), context.RequestAborted))
                return Results.Text("Only a dead notification of yours can be redelivered.", statusCode: StatusCodes.Status409Conflict);
            signal.Wake();
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        });
        return app;
    }

    private static async Task<IResult> CreateChannelAsync(HttpContext context, ChannelEditor editor)
    {
        if (context.User.UserId() is not { } userId)
            return DashboardActions.Toast(context, "Sign in as a user to be notified.", StatusCodes.Status403Forbidden);
        var form = await DashboardActions.FormAsync(context);
        var (target, invalid) = ChannelForm.Target(form);
        if (invalid is not null)
            return DashboardActions.Toast(context, invalid, StatusCodes.Status400BadRequest);
        var (channel, refused) = await editor.CreateAsync(userId, new CreateChannelRequest(DashboardActions.Field(form, "type"), DashboardActions.Field(form, "name"), target, null), context.RequestAborted);
        if (refused is not null)
            return DashboardActions.Toast(context, refused.Message, refused.Status);
        if (channel!.Secret is null)
        {
            context.Response.Headers["HX-Refresh"] = "true";
            return Results.NoContent();
        }
        return new Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult<ChannelCreated>(new Dictionary<string, object?> { [nameof(ChannelCreated.Channel)] = channel });
    }

    private static async Task<IResult> UpdateChannelAsync(string id, HttpContext context, ChannelEditor editor)
    {
        var form = await DashboardActions.FormAsync(context);
        var preferences = ChannelForm.Preferences(form);
        var (updated, refused) = await editor.UpdateAsync(context.User.UserId() ?? "", id,
            new UpdateChannelRequest(DashboardActions.Field(form, "name"), null, preferences, form["enabled"].Count > 0), context.RequestAborted);
        if (refused is not null)
            return DashboardActions.Toast(context, refused.Message, refused.Status);
        // Into the form's own status line: a toast would be cleared by the page's success handling.
        return Results.Content("Saved " + System.Net.WebUtility.HtmlEncode(updated!.Name) + ".", "text/html; charset=utf-8");
    }

    private static async Task<IResult> PageAsync(HttpContext context, INotificationStore store, Dashboard.DashboardData data, VapidKeys keys, CancellationToken cancellationToken)
    {
        var userId = context.User.UserId() ?? "";
        return DashboardEndpoints.Page<NotificationsPage>(context, "", await data.InboxCountAsync(context.User, cancellationToken), new()
        {
            [nameof(NotificationsPage.Channels)] = await store.ListChannelsAsync(userId, cancellationToken),
            [nameof(NotificationsPage.Notifications)] = await store.ListAsync(userId, null, 50, cancellationToken),
            [nameof(NotificationsPage.PushKey)] = keys.PublicKey,
            [nameof(NotificationsPage.Projects)] = (await data.ProjectsAsync(context.User, cancellationToken)).Values.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ToList(),
        });
    }

    /// <summary>The body is the browser's <c>PushSubscription.toJSON()</c>: <c>{endpoint, keys: {p256dh, auth}}</c>.</summary>
    private static async Task<IResult> SubscribeAsync(HttpContext context, INotificationStore store, TimeProvider time)
    {
        if (context.User.UserId() is not { } userId)
            return Results.Text("Sign in as a user to be notified.", statusCode: StatusCodes.Status403Forbidden);
        ChannelTarget target;
        try
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var keys = json.RootElement.GetProperty("keys");
            target = new ChannelTarget(Endpoint: json.RootElement.GetProperty("endpoint").GetString(), P256dh: keys.GetProperty("p256dh").GetString(), Auth: keys.GetProperty("auth").GetString());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Results.Text("The body must be a push subscription: {endpoint, keys: {p256dh, auth}}.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (target.Problem(ChannelTypes.WebPush) is { } problem)
            return Results.Text(problem.Message, statusCode: StatusCodes.Status400BadRequest);
        var existing = (await store.ListChannelsAsync(userId, context.RequestAborted)).FirstOrDefault(c => c.Type == ChannelTypes.WebPush
            && JsonSerializer.Deserialize(c.Target, NotificationJson.Default.ChannelTarget)?.Endpoint == target.Endpoint);
        var serialized = JsonSerializer.Serialize(target, NotificationJson.Default.ChannelTarget);
        if (existing is not null)
            await store.UpdateChannelAsync(existing with { Target = serialized, Enabled = true }, context.RequestAborted);
        else
            await store.AddChannelAsync(new NotificationChannelRecord("ch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), userId, ChannelTypes.WebPush,
                "This browser (" + new Uri(target.Endpoint!).Host + ")", serialized, null,
                JsonSerializer.Serialize(new ChannelPreferences(), NotificationJson.Default.ChannelPreferences), true, time.GetUtcNow()), context.RequestAborted);
        return Results.NoContent();
    }
}
