using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Overseer.Telemetry;

/// <summary>
/// Who may scrape: the endpoint is outside the API's roles (a scraper is not a person), so it
/// checks its own token and network. Each protection that is configured must pass.
/// </summary>
internal sealed class MetricsAccess
{
    private readonly byte[]? _tokenHash;
    private readonly IPNetwork[] _allowFrom;

    public MetricsAccess(IOptions<TelemetryOptions> options)
    {
        var metrics = options.Value.Metrics;
        _tokenHash = string.IsNullOrEmpty(metrics.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(metrics.Token));
        _allowFrom = [.. metrics.AllowFrom.Select(c => IPNetwork.Parse(c))];
    }

    /// <summary>Null when the caller may scrape; otherwise the status to answer and why.</summary>
    public (int Status, string Detail)? Check(IPAddress? remote, string? authorization)
    {
        if (_allowFrom.Length > 0 && !Allowed(remote))
            return (StatusCodes.Status403Forbidden, "This address may not read the metrics (Telemetry:Metrics:AllowFrom).");
        if (_tokenHash is not null && !TokenMatches(authorization))
            return (StatusCodes.Status401Unauthorized, "The metrics need their own bearer token (Telemetry:Metrics:Token).");
        return null;
    }

    private bool Allowed(IPAddress? remote)
    {
        if (remote is null)
            return false;
        if (remote.IsIPv4MappedToIPv6)
            remote = remote.MapToIPv4();
        foreach (var network in _allowFrom)
        {
            if (network.Contains(remote))
                return true;
        }
        return false;
    }

    private bool TokenMatches(string? authorization)
    {
        const string Bearer = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return false;
        // Hashes of equal length, compared in constant time: the comparison says nothing about the token.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Bearer.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }
}
