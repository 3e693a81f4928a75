using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications.Channels;

/// <summary>
/// Publishes to an ntfy topic with a title, priority, tags and action buttons: an ORANGE approve
/// or an answer is an <c>http</c> action (the phone POSTs the signed link: one tap); a RED approve
/// opens the confirmation page (<c>view</c>). ntfy allows three actions per message.
/// </summary>
internal sealed class NtfySender(NotificationHttp http, IOptions<NotificationOptions> options) : IChannelSender
{
    public string Type => ChannelTypes.Ntfy;

    public async Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var actions = message.Items.SelectMany(i => i.Actions.Select(a => a.OneTap
                ? new NtfyAction("http", Label(message, i, a), a.Url, "POST", Clear: true)
                : new NtfyAction("view", Label(message, i, a), a.Url)))
            .Take(3).ToList();
        var tags = message.Items.Select(i => i.Tier?.ToLowerInvariant() ?? i.Kind).Distinct().ToList();
        var body = new NtfyMessage(target.Topic!, message.Title, message.Text, message.Priority, tags, actions, message.Items[0].Url);
        var server = (target.Server ?? options.Value.NtfyServer).TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, server + "/")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, NotificationJson.Default.NtfyMessage)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Overseer-Delivery", message.DeliveryKey);
        if (target.Token is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.Client.SendAsync(request, cancellationToken);
        await NotificationHttp.EnsureSuccessAsync(response, cancellationToken);
    }

    private static string Label(NotificationMessage message, NotificationItem item, NotificationAction action) =>
        message.Items.Count == 1 ? action.Label : $"{action.Label} ({item.ItemId})";
}
