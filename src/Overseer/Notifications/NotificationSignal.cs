using Overseer.Hosting;
using Overseer.Storage.Notifications;

namespace Overseer.Notifications;

/// <summary>
/// Wakes the dispatcher when a committed batch left something in the outbox (or a delivery
/// finished, or a dead notification was put back).
/// </summary>
internal sealed class NotificationSignal : WakeSignal
{
    protected override bool Wakes(string eventType) => NotificationKinds.Caused(eventType);
}
