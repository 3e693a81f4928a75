using System.Globalization;
using Overseer.Dashboard;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// The notifications page's channel forms, read into what <see cref="ChannelEditor"/> takes. A
/// checkbox list with every kind ticked means "all kinds" (so kinds added later arrive too), and
/// no project ticked means "every project I can see".
/// </summary>
internal static class ChannelForm
{
    public static (ChannelTarget? Target, string? Problem) Target(IFormCollection form)
    {
        long? chatId = null;
        if (DashboardActions.Field(form, "chatId") is { } chat)
        {
            if (!long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                return (null, "Telegram chat id: a number (your user id for a private chat with the bot).");
            chatId = parsed;
        }
        return (new ChannelTarget(Url: DashboardActions.Field(form, "url"), Topic: DashboardActions.Field(form, "topic"), Server: DashboardActions.Field(form, "server"),
            Token: DashboardActions.Field(form, "token"), ChatId: chatId, Address: DashboardActions.Field(form, "address")), null);
    }

    public static ChannelPreferences Preferences(IFormCollection form)
    {
        var kinds = form["kinds"].Where(k => k is { Length: > 0 }).Select(k => k!).Distinct(StringComparer.Ordinal).ToList();
        var projects = form["projects"].Where(p => p is { Length: > 0 }).Select(p => p!).Distinct(StringComparer.Ordinal).ToList();
        var start = DashboardActions.Field(form, "quietStart");
        var end = DashboardActions.Field(form, "quietEnd");
        return new ChannelPreferences(
            NotificationKinds.All.All(kinds.Contains) ? null : kinds,
            projects.Count == 0 ? null : projects,
            DashboardActions.Field(form, "minTier"),
            start is null && end is null ? null : new QuietHours(start ?? "", end ?? "", DashboardActions.Field(form, "timeZone")));
    }
}
