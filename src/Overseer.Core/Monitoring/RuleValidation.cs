using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring;

/// <summary>Checks a rule's definition: its check, condition, hysteresis, severity and runbook.</summary>
public static class RuleValidation
{
    public static readonly IReadOnlyList<string> Severities = ["warning", "critical"];
    public static readonly IReadOnlyList<string> Policies = ["read-only", "standard"];
    public static readonly TimeSpan DefaultRunbookEvery = TimeSpan.FromMinutes(30);

    /// <param name="checkExists">Whether a check has the id (the rule must watch one).</param>
    public static (RuleSpec? Rule, MonitoringProblem? Problem) Normalize(AlertRuleDefinition? d, Func<string, bool> checkExists, string source)
    {
        if (d is null)
            return (null, MonitoringProblem.Invalid("body", "must be a rule definition."));
        var (id, idProblem) = CheckValidation.IdOf(d.Id, d.Name);
        if (idProblem is not null)
            return (null, idProblem);
        if (string.IsNullOrWhiteSpace(d.Check))
            return (null, MonitoringProblem.Invalid("check", "is required: the id of the check the rule watches."));
        if (!checkExists(d.Check))
            return (null, new MonitoringProblem(Contracts.Api.ErrorCodes.CheckNotFound, $"check '{d.Check}' does not exist.", "check"));
        var (when, whenProblem) = RuleCondition.Parse(d.When);
        if (whenProblem is not null)
            return (null, MonitoringProblem.Invalid("when", whenProblem));
        string? clearOp = null;
        double clearThreshold = 0;
        if (d.Clear is { } clear)
        {
            if (when!.IsDown)
                return (null, MonitoringProblem.Invalid("clear", "applies to value rules only; a \"down\" rule clears when the check passes."));
            (clearOp, clearThreshold, var clearProblem) = RuleCondition.ParseClear(clear);
            if (clearProblem is not null)
                return (null, MonitoringProblem.Invalid("clear", clearProblem));
        }
        var clearFor = when!.For;
        if (d.ClearFor is { } cf && !Durations.TryParse(cf, out clearFor))
            return (null, MonitoringProblem.Invalid("clearFor", $"'{cf}' is not a duration (30s, 2m, 1h)."));
        if (d.Severity is { } severity && !Severities.Contains(severity))
            return (null, MonitoringProblem.Invalid("severity", "must be warning or critical."));
        if (d.Runbook is { } runbook && RunbookProblem(runbook) is { } runbookProblem)
            return (null, runbookProblem);
        var normalized = d with
        {
            Id = id,
            Name = string.IsNullOrWhiteSpace(d.Name) ? id : d.Name.Trim(),
            Severity = d.Severity ?? "warning",
            Runbook = d.Runbook is { } r ? r with { Policy = r.Policy ?? "read-only", Every = r.Every ?? Durations.Format(DefaultRunbookEvery) } : null,
        };
        return (new RuleSpec(normalized, when, clearOp, clearThreshold, clearFor, source), null);
    }

    private static MonitoringProblem? RunbookProblem(RunbookDefinition r)
    {
        if (string.IsNullOrWhiteSpace(r.Template))
            return MonitoringProblem.Invalid("runbook.template", "is required: the template to run.");
        if (string.IsNullOrWhiteSpace(r.Project))
            return MonitoringProblem.Invalid("runbook.project", "is required: the project the session runs in.");
        if (r.Policy is { } policy && !Policies.Contains(policy))
            return MonitoringProblem.Invalid("runbook.policy", "must be read-only (only GREEN runs unattended) or standard (GREEN and YELLOW); above YELLOW always waits for a person.");
        if (r.Every is { } every && (!Durations.TryParse(every, out var e) || e < TimeSpan.FromSeconds(1)))
            return MonitoringProblem.Invalid("runbook.every", $"'{every}' must be a duration of at least 1s (30m, 1h).");
        if (r.Script is { } script && !IsJsonArray(script))
            return MonitoringProblem.Invalid("runbook.script", "must be a JSON array of script steps.");
        return null;
    }

    private static bool IsJsonArray(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
            return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    public static TimeSpan RunbookEvery(RunbookDefinition runbook) =>
        Durations.TryParse(runbook.Every, out var every) ? every : DefaultRunbookEvery;
}
