using System.Text.Json;
using Overseer.Auth;
using Overseer.Contracts.Api;
using Overseer.Storage;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// Turns each outbox row into one notification per channel that wants it: the channel is
/// enabled, its preferences take the kind, project and tier, and its user is active and may see
/// the project. A notification's id is made of the outbox row and the channel, so doing this
/// again after a crash adds nothing twice. Quiet hours move its due time to their end.
/// </summary>
internal sealed class NotificationFanOut(INotificationStore store, IReadModel readModel, IUserStore users, ProjectAccess access, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ReadOutboxAsync(100, cancellationToken);
        if (rows.Count == 0)
            return 0;
        var channels = (await store.ListChannelsAsync(null, cancellationToken)).Where(c => c.Enabled).ToList();
        var people = new Dictionary<string, UserRecord?>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var projectId = row.SessionId is null ? null : (await readModel.GetSessionAsync(row.SessionId, cancellationToken))?.ProjectId;
            var tier = row.Kind == NotificationKinds.Approval ? (await readModel.GetApprovalAsync(row.ItemId, cancellationToken))?.Tier : null;
            var now = time.GetUtcNow();
            var notifications = new List<NotificationRecord>();
            foreach (var channel in channels)
            {
                var preferences = Preferences(channel);
                if (!preferences.Wants(row.Kind, projectId, tier))
                    continue;
                if (!people.TryGetValue(channel.UserId, out var user))
                    people[channel.UserId] = user = await users.FindAsync(channel.UserId, cancellationToken);
                if (user is null || user.DisabledAt is not null)
                    continue;
                if (projectId is not null && !await access.HasAsync(UserPrincipal.For(user), projectId, Roles.Viewer, cancellationToken))
                    continue;
                var due = preferences.QuietHours?.EndsAfter(now) ?? now;
                notifications.Add(new NotificationRecord($"n_{row.Seq}_{channel.Id}", row.Seq, channel.Id, user.Id, row.SessionId, projectId,
                    row.Kind, row.ItemId, NotificationStatuses.Pending, 0, due, now));
            }
            await store.FanOutAsync(row.Seq, notifications, cancellationToken);
        }
        return rows.Count;
    }

    public static ChannelPreferences Preferences(NotificationChannelRecord channel) =>
        JsonSerializer.Deserialize(channel.Preferences, NotificationJson.Default.ChannelPreferences) ?? new ChannelPreferences();
}
