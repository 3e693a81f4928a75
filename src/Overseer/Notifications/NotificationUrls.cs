using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Overseer.Notifications;

/// <summary>Absolute links into this server: under <c>Notifications:PublicUrl</c>, else the address it listens on.</summary>
internal sealed class NotificationUrls(IOptions<NotificationOptions> options, IServer server)
{
    public string Absolute(string path)
    {
        var root = options.Value.PublicUrl
            ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:7700";
        return root.TrimEnd('/') + path;
    }
}
