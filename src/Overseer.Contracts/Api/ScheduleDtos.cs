using System.Text.Json;
using Overseer.Contracts.Events;

namespace Overseer.Contracts.Api;

/// <summary>
/// Creates or replaces a schedule: a template run with fixed parameters in a project, whenever a
/// cron expression (5 fields, or 6 with seconds first) falls due in an IANA time zone.
/// <c>missedPolicy</c> (skip | run_once) says what happens to slots missed while Overseer was not
/// running; <c>overlapPolicy</c> (skip | queue | allow) what happens when a slot comes while the
/// previous run is still working. The other fields override the template's defaults.
/// </summary>
public sealed record SaveScheduleRequest(
    string? Name,
    string? ProjectId,
    string? TemplateId,
    Dictionary<string, JsonElement>? Parameters,
    string? Cron,
    string? TimeZone,
    bool? Enabled = null,
    string? MissedPolicy = null,
    string? OverlapPolicy = null,
    RetryPolicyDto? Retry = null,
    string? Runtime = null,
    string? Model = null,
    string? Isolation = null,
    int? Priority = null,
    JsonElement? Script = null);

/// <summary>
/// A schedule. <c>lastSlot</c> is the latest slot it handled (ran, queued or skipped);
/// <c>nextRunAt</c> when it fires next (absent while disabled); <c>lastRun</c> its newest run.
/// </summary>
public sealed record ScheduleDto(
    string Id,
    string Name,
    string ProjectId,
    string TemplateId,
    IReadOnlyDictionary<string, JsonElement> Parameters,
    string Cron,
    string TimeZone,
    bool Enabled,
    string MissedPolicy,
    string OverlapPolicy,
    RetryPolicyDto? Retry,
    string? Runtime,
    string? Model,
    string? Isolation,
    int? Priority,
    JsonElement? Script,
    UserRefDto CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSlot,
    DateTimeOffset? NextRunAt,
    ScheduleRunDto? LastRun = null);

/// <summary>
/// One run of a schedule: the slot it was for, what fired it (<c>cron</c>, <c>missed</c> for the
/// one run after a downtime, <c>manual</c>), and what came of it: <c>started</c> (with its
/// session), <c>queued</c> (waiting for the previous run to end), <c>pending</c> (its session is
/// being created), <c>skipped</c> or <c>failed</c> (with the reason). <c>costUsd</c> and
/// <c>attempts</c> count every attempt of its session's retry chain; <c>sessionStatus</c> is the
/// latest attempt's.
/// </summary>
public sealed record ScheduleRunDto(
    string Id,
    string ScheduleId,
    DateTimeOffset Slot,
    string Trigger,
    string Status,
    string? SessionId,
    string? Reason,
    DateTimeOffset CreatedAt,
    SessionStatus? SessionStatus = null,
    string? LatestSessionId = null,
    int Attempts = 0,
    decimal CostUsd = 0);

/// <summary>The next times a cron expression fires in a time zone, in UTC and in that zone.</summary>
public sealed record CronPreviewDto(string Cron, string TimeZone, IReadOnlyList<DateTimeOffset> Next, IReadOnlyList<string> Local);
