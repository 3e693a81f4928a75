namespace Overseer.Storage;

/// <summary>
/// Schedules and the history of their runs. A slot is claimed once: <see cref="ClaimAsync"/>
/// moves the schedule's last slot forward and records the run in one transaction, and only if no
/// one (another server over the same database, an earlier life of this one) claimed it first.
/// </summary>
public interface IScheduleStore
{
    /// <summary>Every schedule, or those of <paramref name="projects"/> when given (empty: none); by project and name.</summary>
    Task<IReadOnlyList<ScheduleRecord>> ListAsync(IReadOnlyCollection<string>? projects = null, CancellationToken cancellationToken = default);

    Task<ScheduleRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a schedule; false when its project already has one of that name (case-insensitively).</summary>
    Task<bool> AddAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default);

    /// <summary>Replaces a schedule (its slots too); null when there is none with that id, false when the name is taken.</summary>
    Task<bool?> UpdateAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default);

    /// <summary>Removes a schedule and its runs (its sessions stay); false when there is none.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="slot"/> for <paramref name="run"/>: true when the schedule is enabled
    /// and its last slot was before this one, in which case the run is recorded and the last and
    /// next slots move on together; false (and nothing written) when the slot was already handled.
    /// </summary>
    Task<bool> ClaimAsync(ScheduleRunRecord run, DateTimeOffset? nextSlot, CancellationToken cancellationToken = default);

    /// <summary>Records a run that claims no slot (one a person asked for).</summary>
    Task AddRunAsync(ScheduleRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Sets the status of a run that has no session yet (a queued run becoming pending, a run that failed to start).</summary>
    Task SetRunStatusAsync(string runId, string status, string? reason, CancellationToken cancellationToken = default);

    Task<ScheduleRunRow?> FindRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Runs still to start (pending or queued), oldest first.</summary>
    Task<IReadOnlyList<ScheduleRunRecord>> OpenRunsAsync(CancellationToken cancellationToken = default);

    /// <summary>A schedule's runs, newest first, each with its session chain's latest attempt, attempts and cost.</summary>
    Task<Page<ScheduleRunRow>> ListRunsAsync(string scheduleId, string? cursor, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The schedule's run that is still working, if any: one waiting to start (pending or queued),
    /// or one whose session (or a retry of it, or a retry still to come) is at work. A session
    /// idle, interrupted or ended does no work. <paramref name="exceptRunId"/> is left out.
    /// </summary>
    Task<ScheduleRunRow?> WorkingRunAsync(string scheduleId, string? exceptRunId = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// A schedule as stored: <paramref name="Parameters"/>, <paramref name="Retry"/> and
/// <paramref name="Options"/> are JSON text, validated before they are stored.
/// </summary>
public sealed record ScheduleRecord(
    string Id,
    string Name,
    string ProjectId,
    string TemplateId,
    string Parameters,
    string Cron,
    string TimeZone,
    bool Enabled,
    string MissedPolicy,
    string OverlapPolicy,
    string? Retry,
    string Options,
    string CreatedBy,
    string? CreatedByUserId,
    string? CreatedByTokenId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastSlot,
    DateTimeOffset? NextSlot);

/// <summary>One run of a schedule (see ScheduleRunDto for what its fields mean).</summary>
public sealed record ScheduleRunRecord(
    string Id,
    string ScheduleId,
    DateTimeOffset Slot,
    string Trigger,
    string Status,
    string? SessionId,
    string? Reason,
    string ByName,
    string? ByUserId,
    DateTimeOffset CreatedAt);

/// <summary>A run with its session chain: the latest attempt and its status, how many attempts, their cost.</summary>
public sealed record ScheduleRunRow(ScheduleRunRecord Run, string? LatestSessionId, string? LatestStatus, int Attempts, decimal CostUsd);
