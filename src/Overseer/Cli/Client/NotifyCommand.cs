using System.CommandLine;
using Overseer.Notifications;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer notify add|ls|rm|sent|redeliver</c>: your notification channels, what was sent to
/// you, and the dead-letter list (docs/notifications.md).
/// </summary>
public static class NotifyCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("type") { Description = "webhook, ntfy, telegram or email (browsers subscribe from the dashboard)" };
        var url = new Option<string>("--url") { Description = "webhook: the URL to POST to" };
        var topic = new Option<string>("--topic") { Description = "ntfy: the topic" };
        var server = new Option<string>("--server") { Description = "ntfy: the server (default Notifications:NtfyServer)" };
        var ntfyToken = new Option<string>("--ntfy-token") { Description = "ntfy: an access token for the topic" };
        var chat = new Option<long?>("--chat-id") { Description = "telegram: your chat id with the bot" };
        var address = new Option<string>("--address") { Description = "email: the address" };
        var name = new Option<string>("--name") { Description = "A name to show. Default: the type" };
        var kinds = new Option<string>("--kinds") { Description = "Only these kinds, comma-separated (approval, question, review, dependency, session_failed, session_completed, limit_reached, alert)" };
        var projects = new Option<string>("--projects") { Description = "Only these project ids, comma-separated" };
        var minTier = new Option<string>("--min-tier") { Description = "Approvals from this tier up (ORANGE, RED)" };
        var quiet = new Option<string>("--quiet") { Description = "Quiet hours HH:mm-HH:mm, e.g. 22:00-07:00 (notifications wait until they end)" };
        var timeZone = new Option<string>("--time-zone") { Description = "Time zone of the quiet hours (IANA, default UTC)" };
        var add = new Command("add", "Add a notification channel; prints its id (and a webhook's signing secret, shown only now).")
            { type, url, topic, server, ntfyToken, chat, address, name, kinds, projects, minTier, quiet, timeZone };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var hours = parse.GetValue(quiet)?.Split('-', 2);
            var preferences = new ChannelPreferences(List(parse.GetValue(kinds)), List(parse.GetValue(projects)), parse.GetValue(minTier),
                hours is [var start, var end] ? new QuietHours(start, end, parse.GetValue(timeZone)) : null);
            var target = new ChannelTarget(parse.GetValue(url), parse.GetValue(topic), parse.GetValue(server), parse.GetValue(ntfyToken), parse.GetValue(chat), parse.GetValue(address));
            var channel = await context.Client.PostAsync("api/notifications/channels", new CreateChannelRequest(parse.GetValue(type), parse.GetValue(name), target, preferences),
                NotificationJson.Default.CreateChannelRequest, NotificationJson.Default.ChannelDto, cancellationToken);
            await context.Out.WriteLineAsync(channel.Id);
            if (channel.Secret is { } secret)
                await context.Out.WriteLineAsync($"secret: {secret}");
            return ExitCodes.Ok;
        });

        var ls = new Command("ls", "List your notification channels.");
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var channels = await context.Client.GetAsync("api/notifications/channels", NotificationJson.Default.ListResponseChannelDto, cancellationToken);
            var table = new TextTable("ID", "TYPE", "NAME", "ON", "KINDS").Flexible("NAME", "KINDS");
            foreach (var c in channels.Items)
                table.Add(c.Id, c.Type, c.Name, c.Enabled ? "yes" : "no", c.Preferences.Kinds is { } k ? string.Join(",", k) : "all");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "Channel id" };
        var rm = new Command("rm", "Remove a notification channel.") { id };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            await context.Client.DeleteAsync($"api/notifications/channels/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {parse.GetValue(id)}");
            return ExitCodes.Ok;
        });

        var status = new Option<string>("--status") { Description = "pending, sent, dead (the dead-letter list) or dropped" };
        var all = new Option<bool>("--all") { Description = "Everyone's (admins and owners)" };
        var sent = new Command("sent", "List notifications sent to you, newest first.") { status, all };
        ClientContext.SetAction(sent, async (parse, context, cancellationToken) =>
        {
            var query = "api/notifications?limit=100" + (parse.GetValue(status) is { } s ? "&status=" + Uri.EscapeDataString(s) : "") + (parse.GetValue(all) ? "&all=true" : "");
            var rows = await context.Client.GetAsync(query, NotificationJson.Default.ListResponseNotificationDto, cancellationToken);
            var table = new TextTable("ID", "KIND", "SESSION", "STATUS", "ATTEMPTS", "ERROR").Flexible("ERROR");
            foreach (var n in rows.Items)
                table.Add(n.Id, n.Kind, n.SessionId ?? "", n.Status, n.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), n.LastError ?? "");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var notification = new Argument<string>("id") { Description = "Notification id" };
        var redeliver = new Command("redeliver", "Put a dead notification back in the queue.") { notification };
        ClientContext.SetAction(redeliver, async (parse, context, cancellationToken) =>
        {
            var again = await context.Client.PostAsync($"api/notifications/{Uri.EscapeDataString(parse.GetValue(notification)!)}/redeliver", NotificationJson.Default.NotificationDto, cancellationToken);
            await context.Out.WriteLineAsync($"{again.Id} queued again");
            return ExitCodes.Ok;
        });

        return new Command("notify", "Notification channels and deliveries.") { add, ls, rm, sent, redeliver };
    }

    private static IReadOnlyList<string>? List(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
