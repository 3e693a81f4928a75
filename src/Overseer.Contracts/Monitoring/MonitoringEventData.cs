namespace Overseer.Contracts.Monitoring;

/// <summary><c>alert.raised</c>: a rule's condition held for its duration.</summary>
public sealed record AlertRaisedData(string AlertId, string RuleId, string RuleName, string CheckId, string Severity, string Message, double? Value, bool Flapping = false);

/// <summary><c>alert.resolved</c>: the rule's clear condition held for its clear duration.</summary>
public sealed record AlertResolvedData(string AlertId, string RuleId, string CheckId, string Message, double? Value);

/// <summary><c>alert.acknowledged</c>: a person has seen it.</summary>
public sealed record AlertAcknowledgedData(string AlertId, string By, string? ByUserId);

/// <summary><c>alert.silenced</c>: no notifications for the alert's rule until <see cref="Until"/>.</summary>
public sealed record AlertSilencedData(string AlertId, string RuleId, DateTimeOffset Until, string By, string? ByUserId);

/// <summary><c>alert.runbook</c>: the rule's runbook session started for the alert, or why it did not.</summary>
public sealed record AlertRunbookData(string AlertId, string RuleId, string? SessionId, string? Error);

/// <summary><c>check.changed</c>: a check went from one status to another (ok | failing).</summary>
public sealed record CheckChangedData(string CheckId, string Status, string? Previous, double? Value, string Message);

/// <summary>Event types of monitoring: none belongs to a session.</summary>
public static class MonitoringEvents
{
    public const string AlertRaised = "alert.raised";
    public const string AlertResolved = "alert.resolved";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertSilenced = "alert.silenced";
    public const string AlertRunbook = "alert.runbook";
    public const string CheckChanged = "check.changed";

    public static bool IsMonitoring(string type) => type.StartsWith("alert.", StringComparison.Ordinal) || type == CheckChanged;
}
