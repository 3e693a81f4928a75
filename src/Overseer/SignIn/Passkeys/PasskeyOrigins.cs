namespace Overseer.SignIn.Passkeys;

/// <summary>Origins as WebAuthn compares them: scheme, host and port, nothing else.</summary>
internal static class PasskeyOrigins
{
    /// <summary>The origin as a URI, or null when it has a path, query, fragment or user info, or is not http(s).</summary>
    public static Uri? Parse(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && !origin.TrimEnd('/').EndsWith('/') && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : null;

    public static string Of(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    /// <summary>Whether <paramref name="host"/> is the relying party id or a name under it.</summary>
    public static bool IsUnder(string host, string rpId) =>
        host.Equals(rpId, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + rpId, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The relying party a listening address implies: its host name, or <c>localhost</c> for a
    /// loopback address (browsers refuse an IP address as relying party id). Null for a wildcard
    /// or another IP address: then only configuration can say which name people use.
    /// </summary>
    public static (string RpId, string Origin)? Implied(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
            return null;
        if (uri.IsLoopback)
            return ("localhost", new UriBuilder(uri) { Host = "localhost" }.Uri.GetLeftPart(UriPartial.Authority));
        return uri.HostNameType == UriHostNameType.Dns ? (uri.Host, Of(uri)) : null;
    }
}
