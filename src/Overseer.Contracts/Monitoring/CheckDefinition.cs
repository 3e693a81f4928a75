namespace Overseer.Contracts.Monitoring;

/// <summary>
/// What to watch, as written in <c>Monitoring:Checks</c> or sent to <c>POST /api/checks</c>. One
/// shape for every kind; <see cref="Kind"/> says which fields count:
/// <list type="bullet">
/// <item><c>host</c>: <see cref="Metric"/> cpu | memory | swap | disk | load | network; <see cref="Target"/> the mount (disk) or interface (network).</item>
/// <item><c>http</c>: <see cref="Target"/> the URL; <see cref="ExpectStatus"/>, <see cref="Contains"/>; <see cref="Metric"/> latency (default) or cert_days.</item>
/// <item><c>tcp</c>: <see cref="Target"/> host:port.</item>
/// <item><c>process</c>: <see cref="Target"/> a process name, or an absolute pid file path.</item>
/// <item><c>systemd</c>: <see cref="Target"/> the unit.</item>
/// <item><c>command</c>: <see cref="Command"/> argv run in the sandbox; <see cref="ExpectStatus"/> the exit status (0), <see cref="Contains"/> in its output.</item>
/// </list>
/// </summary>
public sealed record CheckDefinition
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Kind { get; init; }

    /// <summary>critical (12 s) | important (32 s) | routine (5 min) | background (30 min).</summary>
    public string? Tier { get; init; }

    public string? Target { get; init; }
    public string? Metric { get; init; }
    public int? ExpectStatus { get; init; }
    public string? Contains { get; init; }
    public List<string>? Command { get; init; }
    public double? TimeoutSeconds { get; init; }
}
