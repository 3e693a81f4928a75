using System.Collections.Concurrent;

namespace Overseer.WebSockets;

/// <summary>The open connections, for the few messages that go to everyone (a project created or deleted).</summary>
internal sealed class WsConnections
{
    private readonly ConcurrentDictionary<string, WsConnection> _open = new(StringComparer.Ordinal);

    public int Count => _open.Count;

    public void Add(WsConnection connection) => _open[connection.Id] = connection;

    public void Remove(WsConnection connection) => _open.TryRemove(connection.Id, out _);

    /// <summary>Offers the frame to every authenticated connection (admins' and owners' only, when asked) but <paramref name="except"/>; never waits on any of them.</summary>
    public void Broadcast(ReadOnlyMemory<byte> frame, WsConnection? except, bool adminsOnly = false)
    {
        foreach (var connection in _open.Values)
        {
            if (!ReferenceEquals(connection, except) && connection.IsAuthenticated && (!adminsOnly || connection.IsAdmin))
                connection.Offer(frame);
        }
    }
}
