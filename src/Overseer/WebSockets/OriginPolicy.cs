namespace Overseer.WebSockets;

/// <summary>
/// Decides whether a browser page may open the socket. Browsers send <c>Origin</c> on every
/// WebSocket upgrade and, unlike fetch, apply no CORS to it, so without this check any page the
/// user visits could drive their agents with their cookie or a stored token.
/// </summary>
public static class OriginPolicy
{
    /// <summary>
    /// True when there is no Origin (a non-browser client), it is one of the server's own listening
    /// addresses (not whatever Host the request names), or it is allowed by configuration.
    /// </summary>
    internal static bool IsAllowed(string? origin, ServerOrigins server, IReadOnlyCollection<string> allowed)
    {
        if (string.IsNullOrEmpty(origin))
            return true;
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && server.Contains(uri))
            return true;
        foreach (var candidate in allowed)
        {
            if (candidate == "*" || string.Equals(Normalize(candidate), origin, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Null when <paramref name="origin"/> is a usable allow-list entry, otherwise why not.</summary>
    public static string? Validate(string origin)
    {
        if (origin == "*")
            return null;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"'{origin}' is not an http(s) origin such as https://example.com:8443.";
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            return $"'{origin}' must be scheme://host[:port] with no path.";
        return null;
    }

    // Browsers send no trailing slash and no default port; entries are validated at start-up.
    private static string Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : origin;
}
