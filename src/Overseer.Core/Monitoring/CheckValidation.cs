using System.Text.RegularExpressions;
using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring;

/// <summary>Checks a check's definition field by field and fills in its defaults (id from the name, tier important, timeout).</summary>
public static partial class CheckValidation
{
    public static readonly IReadOnlyList<string> Kinds = ["host", "http", "tcp", "process", "systemd", "command"];
    public static readonly IReadOnlyList<string> HostMetrics = ["cpu", "memory", "swap", "disk", "load", "network"];

    public static (CheckDefinition? Check, MonitoringProblem? Problem) Normalize(CheckDefinition? d, MonitoringTiers tiers)
    {
        if (d is null)
            return (null, MonitoringProblem.Invalid("body", "must be a check definition."));
        var (id, idProblem) = IdOf(d.Id, d.Name);
        if (idProblem is not null)
            return (null, idProblem);
        if (d.Name is { Length: > 100 })
            return (null, MonitoringProblem.Invalid("name", "must be at most 100 characters."));
        if (d.Kind is null || !Kinds.Contains(d.Kind))
            return (null, MonitoringProblem.Invalid("kind", $"must be one of {string.Join(", ", Kinds)}."));
        var tier = d.Tier ?? "important";
        if (!MonitoringTiers.Names.Contains(tier))
            return (null, MonitoringProblem.Invalid("tier", $"must be one of {string.Join(", ", MonitoringTiers.Names)}."));
        if (d.TimeoutSeconds is { } t && (!double.IsFinite(t) || t < 0.1 || t > 300))
            return (null, MonitoringProblem.Invalid("timeoutSeconds", "must be between 0.1 and 300."));
        if (KindProblem(d) is { } problem)
            return (null, problem);
        var interval = tiers.IntervalOf(tier).TotalSeconds;
        return (d with
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(d.Name) ? id : d.Name.Trim(),
            Tier = tier,
            TimeoutSeconds = d.TimeoutSeconds ?? Math.Min(10, Math.Max(0.5, interval)),
            Metric = d.Kind switch { "http" => d.Metric ?? "latency", _ => d.Metric },
        }, null);
    }

    /// <summary>An id given, or made from the name: lowercase letters, digits, '-', '_' and '.'.</summary>
    public static (string? Id, MonitoringProblem? Problem) IdOf(string? id, string? name)
    {
        if (id is null && string.IsNullOrWhiteSpace(name))
            return (null, MonitoringProblem.Invalid("name", "is required (or an id)."));
        var value = id ?? Slug(name!);
        return IdPattern().IsMatch(value)
            ? (value, null)
            : (null, MonitoringProblem.Invalid("id", $"'{value}' must be 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit."));
    }

    private static string Slug(string name) =>
        SlugSeparators().Replace(name.Trim().ToLowerInvariant(), "-").Trim('-') is { Length: > 0 } s ? (s.Length > 64 ? s[..64].TrimEnd('-') : s) : "check";

    private static MonitoringProblem? KindProblem(CheckDefinition d)
    {
        switch (d.Kind)
        {
            case "host":
                if (d.Metric is null || !HostMetrics.Contains(d.Metric))
                    return MonitoringProblem.Invalid("metric", $"must be one of {string.Join(", ", HostMetrics)} for a host check.");
                if (d.Metric == "disk" && d.Target is { } mount && !Path.IsPathFullyQualified(mount))
                    return MonitoringProblem.Invalid("target", "must be the absolute path of a mount point for a disk check.");
                if (d.Metric == "network" && d.Target is { } nic && !InterfacePattern().IsMatch(nic))
                    return MonitoringProblem.Invalid("target", "must be a network interface name such as eth0.");
                return null;
            case "http":
                if (!Uri.TryCreate(d.Target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    return MonitoringProblem.Invalid("target", "must be an absolute http:// or https:// URL.");
                if (d.Metric is not (null or "latency" or "cert_days"))
                    return MonitoringProblem.Invalid("metric", "must be latency or cert_days for an HTTP check.");
                if (d.Metric == "cert_days" && url.Scheme != "https")
                    return MonitoringProblem.Invalid("metric", "cert_days needs an https:// URL.");
                if (d.ExpectStatus is { } status && status is < 100 or > 599)
                    return MonitoringProblem.Invalid("expectStatus", "must be an HTTP status from 100 to 599.");
                return d.Contains is { Length: > 1000 } ? MonitoringProblem.Invalid("contains", "must be at most 1000 characters.") : null;
            case "tcp":
                return TcpEndpoint.TryParse(d.Target, out _, out _) ? null : MonitoringProblem.Invalid("target", "must be host:port with a port from 1 to 65535.");
            case "process":
                if (string.IsNullOrWhiteSpace(d.Target))
                    return MonitoringProblem.Invalid("target", "must be a process name, or the absolute path of a pid file.");
                return d.Target.Contains('/') && !Path.IsPathFullyQualified(d.Target)
                    ? MonitoringProblem.Invalid("target", "a pid file must be an absolute path.")
                    : null;
            case "systemd":
                return d.Target is { } unit && UnitPattern().IsMatch(unit) ? null : MonitoringProblem.Invalid("target", "must be a systemd unit name such as nginx.service.");
            default:
                if (d.Command is not { Count: > 0 } command || string.IsNullOrWhiteSpace(command[0]))
                    return MonitoringProblem.Invalid("command", "must be the argv to run, e.g. [\"df\", \"-h\"] (never a shell string).");
                if (command.Count > 64 || command.Any(a => a is null || a.Length > 4096 || a.Contains('\0')))
                    return MonitoringProblem.Invalid("command", "must have at most 64 arguments of at most 4096 characters, without NUL.");
                if (d.ExpectStatus is { } exit && exit is < 0 or > 255)
                    return MonitoringProblem.Invalid("expectStatus", "must be an exit status from 0 to 255.");
                return d.Contains is { Length: > 1000 } ? MonitoringProblem.Invalid("contains", "must be at most 1000 characters.") : null;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("[^a-z0-9_.]+")]
    private static partial Regex SlugSeparators();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,31}$")]
    private static partial Regex InterfacePattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9@._:\\\\-]{0,254}$")]
    private static partial Regex UnitPattern();
}
