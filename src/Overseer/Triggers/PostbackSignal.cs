using Overseer.Contracts.Events;
using Overseer.Hosting;

namespace Overseer.Triggers;

/// <summary>
/// Wakes the post-back worker when a committed batch settles a session (its turn done, completed,
/// failed or cancelled), or when a delivery has just started one.
/// </summary>
internal sealed class PostbackSignal : WakeSignal
{
    protected override bool Wakes(string eventType) =>
        eventType is EventTypes.SessionIdle or EventTypes.SessionCompleted or EventTypes.SessionFailed or EventTypes.SessionCancelled;
}
