namespace Overseer.Dashboard;

/// <summary>
/// Headers on every dashboard page: scripts only from this origin (no inline script, no eval),
/// no framing, no referrer leaking session ids, and never cached.
/// </summary>
public static class SecurityHeaders
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void Apply(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Exactly what anti-forgery sets on a page that carries a token: anything else, and it
        // overrides the header and logs a warning for every page.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    public static ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Apply(context.HttpContext.Response);
        return next(context);
    }
}
