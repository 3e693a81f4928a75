using Overseer.Storage.Notifications;

namespace Overseer.Notifications.Channels;

/// <summary>Delivers a message over one type of channel; throws <see cref="DeliveryException"/> (or any exception) when it did not arrive.</summary>
internal interface IChannelSender
{
    string Type { get; }

    Task SendAsync(NotificationChannelRecord channel, ChannelTarget target, NotificationMessage message, CancellationToken cancellationToken);
}

/// <summary>A delivery the receiver refused or could not take; the message says how, for the attempt log.</summary>
internal sealed class DeliveryException(string message, Exception? inner = null) : Exception(message, inner);
