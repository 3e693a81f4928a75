namespace Overseer.Contracts.Monitoring;

/// <summary>A check and its state: <see cref="Status"/> ok | failing | unknown (not run yet).</summary>
public sealed record CheckDto(
    CheckDefinition Definition,
    string Source,
    double IntervalSeconds,
    string Status,
    double? Value,
    string? Unit,
    string? Message,
    DateTimeOffset? CheckedAt,
    double? DurationMs);

/// <summary>One point of a check's time series: a raw result, or a 5-minute average once older than a day.</summary>
public sealed record CheckSampleDto(DateTimeOffset At, double? Value, double OkRatio);

public sealed record CheckSeriesDto(string CheckId, string Resolution, IReadOnlyList<CheckSampleDto> Samples);

public sealed record AlertRuleDto(AlertRuleDefinition Definition, string Source);

/// <summary>An alert: firing until its rule's clear condition holds, then resolved.</summary>
public sealed record AlertDto(
    string Id,
    string RuleId,
    string RuleName,
    string CheckId,
    string Severity,
    string Status,
    string Message,
    double? Value,
    DateTimeOffset RaisedAt,
    DateTimeOffset? ResolvedAt,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? SilencedUntil,
    string? SilencedBy,
    string? RunbookSessionId,
    string? RunbookError,
    bool Flapping);

/// <summary><c>POST /api/alerts/{id}/silence</c>: for a duration (<c>30m</c>, <c>2h</c>, <c>1d</c>), or until a time.</summary>
public sealed record SilenceAlertRequest(string? For = null, DateTimeOffset? Until = null);
