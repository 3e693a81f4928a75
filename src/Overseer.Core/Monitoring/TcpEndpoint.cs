using System.Globalization;

namespace Overseer.Core.Monitoring;

/// <summary><c>host:port</c> (IPv6 in brackets: <c>[::1]:22</c>).</summary>
public static class TcpEndpoint
{
    public static bool TryParse(string? target, out string host, out int port)
    {
        host = "";
        port = 0;
        if (string.IsNullOrWhiteSpace(target))
            return false;
        var colon = target.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(target[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            return false;
        host = target[..colon].Trim('[', ']');
        return host.Length > 0 && Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
