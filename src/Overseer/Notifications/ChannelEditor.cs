using System.Security.Cryptography;
using System.Text.Json;
using Overseer.Api;
using Overseer.Contracts.Api;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// Adding, changing and removing a person's own notification channels, with the same checks for
/// <c>/api/notifications/channels</c> and the dashboard's notifications page. Channels are always
/// the caller's: another person's channel is "not found", never "forbidden".
/// </summary>
internal sealed class ChannelEditor(INotificationStore store, TimeProvider time)
{
    public async Task<(NotificationChannelRecord? Channel, ApiProblem? Problem)> CreateAsync(string userId, CreateChannelRequest request, CancellationToken cancellationToken)
    {
        if (request.Type is not { } type || !ChannelTypes.All.Contains(type))
            return (null, new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, $"type must be one of {string.Join(", ", ChannelTypes.All)}.", "type"));
        var target = request.Target ?? new ChannelTarget();
        var preferences = request.Preferences ?? new ChannelPreferences();
        if (Validate(type, request.Name, target, preferences) is { } invalid)
            return (null, invalid);
        // A webhook's secret is made here, shown once, and never chosen by the client: no weak secrets.
        var secret = type == ChannelTypes.Webhook ? "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : null;
        var channel = new NotificationChannelRecord("ch_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), userId, type,
            request.Name?.Trim() is { Length: > 0 } name ? name : type,
            JsonSerializer.Serialize(target, NotificationJson.Default.ChannelTarget), secret,
            JsonSerializer.Serialize(preferences, NotificationJson.Default.ChannelPreferences), true, time.GetUtcNow());
        await store.AddChannelAsync(channel, cancellationToken);
        return (channel, null);
    }

    public async Task<(NotificationChannelRecord? Channel, ApiProblem? Problem)> UpdateAsync(string userId, string id, UpdateChannelRequest request, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, id, cancellationToken) is not { } channel)
            return (null, NotFound(id));
        var target = request.Target ?? JsonSerializer.Deserialize(channel.Target, NotificationJson.Default.ChannelTarget)!;
        var preferences = request.Preferences ?? NotificationFanOut.Preferences(channel);
        if (Validate(channel.Type, request.Name, target, preferences) is { } invalid)
            return (null, invalid);
        var updated = channel with
        {
            Name = request.Name?.Trim() is { Length: > 0 } name ? name : channel.Name,
            Target = JsonSerializer.Serialize(target, NotificationJson.Default.ChannelTarget),
            Preferences = JsonSerializer.Serialize(preferences, NotificationJson.Default.ChannelPreferences),
            Enabled = request.Enabled ?? channel.Enabled,
        };
        await store.UpdateChannelAsync(updated, cancellationToken);
        return (updated, null);
    }

    public async Task<ApiProblem?> RemoveAsync(string userId, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(userId, id, cancellationToken) is null)
            return NotFound(id);
        await store.RemoveChannelAsync(id, cancellationToken);
        return null;
    }

    public async Task<NotificationChannelRecord?> FindAsync(string userId, string id, CancellationToken cancellationToken)
    {
        var channel = await store.FindChannelAsync(id, cancellationToken);
        return channel is not null && channel.UserId == userId ? channel : null;
    }

    private static ApiProblem? Validate(string type, string? name, ChannelTarget target, ChannelPreferences preferences)
    {
        if (name is { Length: > 100 })
            return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, "name must be at most 100 characters.", "name");
        if ((target.Problem(type) ?? preferences.Problem()) is { } problem)
            return new ApiProblem(StatusCodes.Status400BadRequest, ErrorCodes.InvalidField, problem.Message, problem.Field);
        return null;
    }

    private static ApiProblem NotFound(string id) =>
        new(StatusCodes.Status404NotFound, NotificationErrors.ChannelNotFound, $"You have no notification channel with id '{id}'.");
}
