namespace Overseer.Contracts.Monitoring;

/// <summary>
/// A threshold over one check's value, as written in <c>Monitoring:Rules</c> or sent to
/// <c>POST /api/alert-rules</c>. <see cref="When"/> is <c>value &gt; 80 for 2m</c> (any word for
/// the subject: <c>cpu &gt; 80% for 2m</c>) or <c>down for 30s</c>; <see cref="Clear"/> is the
/// hysteresis (<c>&lt; 70</c>: the alert resolves only below 70), held for <see cref="ClearFor"/>.
/// </summary>
public sealed record AlertRuleDefinition
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? Check { get; init; }
    public string? When { get; init; }
    public string? Clear { get; init; }
    public string? ClearFor { get; init; }

    /// <summary>warning | critical.</summary>
    public string? Severity { get; init; }

    public RunbookDefinition? Runbook { get; init; }
}

/// <summary>
/// The template an alert runs as a session, in <see cref="Project"/>, with the alert as its
/// parameters. <see cref="Policy"/> read-only (default: only GREEN runs unattended) or standard
/// (GREEN and YELLOW); anything above YELLOW always waits for a person. At most one session per
/// <see cref="Every"/> (default 30m) for the rule.
/// </summary>
public sealed record RunbookDefinition
{
    public string? Template { get; init; }
    public string? Project { get; init; }
    public Dictionary<string, string>? Parameters { get; init; }
    public string? Policy { get; init; }
    public string? Every { get; init; }
    public string? Runtime { get; init; }

    /// <summary>For the scripted runtime: the script it plays (a JSON array), to rehearse a runbook without a model.</summary>
    public string? Script { get; init; }
}
