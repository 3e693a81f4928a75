using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Overseer.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in the executable at build time (our own files and
/// the npm-fetched htmx), served with an ETag; page links carry a version so they cache long.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "wwwroot/";

    /// <summary>Changes whenever any asset changes: appended to asset links to bust caches.</summary>
    public static string Version { get; } = ComputeVersion();

    private readonly FrozenDictionary<string, Asset> _assets = Load();

    public bool TryGet(string path, out Asset asset) => _assets.TryGetValue(path, out asset!);

    public IResult Serve(HttpContext context, string path)
    {
        if (!TryGet(path, out var asset))
            return Results.NotFound();
        var headers = context.Response.Headers;
        headers[HeaderNames.ETag] = asset.ETag;
        // Versioned links may be cached for good; the service worker and manifest must stay fresh.
        headers[HeaderNames.CacheControl] = context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache";
        headers["X-Content-Type-Options"] = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            assets[name[Prefix.Length..]] = new Asset(content, ContentType(name), etag);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ComputeVersion()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            hash.AppendData(copy.GetBuffer(), 0, (int)copy.Length);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..10];
    }

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    };

    public sealed record Asset(byte[] Content, string ContentType, string ETag);
}
