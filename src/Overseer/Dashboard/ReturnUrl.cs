namespace Overseer.Dashboard;

/// <summary>Where sign-in may send the browser afterwards: only a plain path on this site.</summary>
internal static class ReturnUrl
{
    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, otherwise null. "//evil.example" and
    /// "/\evil.example" are other sites to a browser; so is "/\t/evil.example", because browsers
    /// drop tabs and newlines from a URL before reading it. Only printable ASCII without a
    /// backslash is taken, which also keeps CR/LF out of the Location header.
    /// </summary>
    public static string? LocalOrNull(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url[0] != '/')
            return null;
        foreach (var c in url)
        {
            if (c is < '!' or > '~' or '\\')
                return null;
        }
        return url.Length > 1 && url[1] == '/' ? null : url;
    }
}
