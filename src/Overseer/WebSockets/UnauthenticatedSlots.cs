namespace Overseer.WebSockets;

/// <summary>
/// Counts sockets that are open but not yet authenticated. Anyone who can reach the port can
/// open one, so they are capped (WebSockets:MaxUnauthenticatedConnections): past the cap the
/// upgrade is refused, and a slot is given back when its socket authenticates or closes.
/// </summary>
internal sealed class UnauthenticatedSlots
{
    private int _held;

    public int Held => Volatile.Read(ref _held);

    /// <summary>A slot to dispose when the socket authenticates or ends, or null when all <paramref name="max"/> are taken.</summary>
    public IDisposable? TryTake(int max)
    {
        if (Interlocked.Increment(ref _held) <= max)
            return new Slot(this);
        Interlocked.Decrement(ref _held);
        return null;
    }

    private sealed class Slot(UnauthenticatedSlots owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Interlocked.Decrement(ref owner._held);
        }
    }
}
