using System.Net;
using System.Net.NetworkInformation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Overseer.WebSockets;

/// <summary>
/// The origins of the server's own pages, judged from the addresses it listens on, never from the
/// request's Host header: under DNS rebinding a page at http://evil.example:7700 whose name now
/// resolves to 127.0.0.1 sends Origin and Host both "evil.example:7700", which would look same-origin.
/// A name is trusted only when it is "localhost" or was itself configured as a listening URL; an
/// IP address only when it is one the server listens on (any local interface for 0.0.0.0 / [::]).
/// </summary>
internal sealed class ServerOrigins(IServer server)
{
    private IReadOnlyList<BindingAddress>? _bound;
    private HashSet<IPAddress>? _interfaces;

    public bool Contains(Uri origin)
    {
        var ip = IPAddress.TryParse(origin.Host.Trim('[', ']'), out var parsed) ? parsed : null;
        var isLocalhost = string.Equals(origin.Host, "localhost", StringComparison.OrdinalIgnoreCase);
        foreach (var bound in Bound())
        {
            if (!string.Equals(bound.Scheme, origin.Scheme, StringComparison.OrdinalIgnoreCase) || bound.Port != origin.Port)
                continue;
            var host = bound.Host.Trim('[', ']');
            if (host is "0.0.0.0" or "::" or "*" or "+")
            {
                if (isLocalhost || (ip is not null && (IPAddress.IsLoopback(ip) || Interfaces().Contains(ip))))
                    return true;
            }
            else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                if (isLocalhost || (ip is not null && IPAddress.IsLoopback(ip)))
                    return true;
            }
            else if (IPAddress.TryParse(host, out var boundIp))
            {
                if ((ip is not null && ip.Equals(boundIp)) || (isLocalhost && IPAddress.IsLoopback(boundIp)))
                    return true;
            }
            else if (string.Equals(host, origin.Host, StringComparison.OrdinalIgnoreCase))
            {
                return true; // a name the operator configured as a listening URL
            }
        }
        return false;
    }

    // Read once the server is listening (port 0 becomes a real port only then).
    private IReadOnlyList<BindingAddress> Bound()
    {
        if (_bound is { } bound)
            return bound;
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(BindingAddress.Parse).ToList() ?? [];
        if (addresses.Count > 0)
            _bound = addresses;
        return addresses;
    }

    private HashSet<IPAddress> Interfaces() =>
        _interfaces ??= NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .ToHashSet();
}
