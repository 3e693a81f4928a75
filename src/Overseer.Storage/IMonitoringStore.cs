using Overseer.Contracts.Monitoring;

namespace Overseer.Storage;

/// <summary>
/// Monitoring's tables: checks and rules made through the API (the settings file's are not
/// stored), every check result as a time series (raw for a day, then 5-minute averages), and
/// alerts (a projection of the <c>alert.*</c> events).
/// </summary>
public interface IMonitoringStore
{
    Task<IReadOnlyList<StoredDefinition>> ListDefinitionsAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>Adds a check or rule (<paramref name="kind"/> check | rule); false when one has the id already.</summary>
    Task<bool> AddDefinitionAsync(string kind, StoredDefinition definition, CancellationToken cancellationToken = default);

    Task<bool> DeleteDefinitionAsync(string kind, string id, CancellationToken cancellationToken = default);

    Task AddSamplesAsync(IReadOnlyList<CheckSample> samples, CancellationToken cancellationToken = default);

    /// <summary>
    /// A check's series from <paramref name="from"/>, averaged into buckets of <paramref name="bucket"/>
    /// (at least 5 minutes where only averages are left), oldest first.
    /// </summary>
    Task<IReadOnlyList<CheckSampleDto>> SeriesAsync(string checkId, DateTimeOffset from, TimeSpan bucket, DateTimeOffset rawSince, CancellationToken cancellationToken = default);

    /// <summary>The latest raw result of each check (its state after a restart).</summary>
    Task<IReadOnlyDictionary<string, CheckSample>> LatestSamplesAsync(CancellationToken cancellationToken = default);

    /// <summary>Averages raw results older than <paramref name="rawBefore"/> into 5-minute rows and drops them; drops averages older than <paramref name="rollupsBefore"/>.</summary>
    Task<int> CompactAsync(DateTimeOffset rawBefore, DateTimeOffset rollupsBefore, CancellationToken cancellationToken = default);

    /// <summary>Alerts newest first; <paramref name="status"/> firing | resolved | null (all).</summary>
    Task<IReadOnlyList<AlertDto>> ListAlertsAsync(string? status, int limit, CancellationToken cancellationToken = default);

    Task<AlertDto?> FindAlertAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Until when the rule is silenced (the latest silence of any of its alerts still running), or null.</summary>
    Task<DateTimeOffset?> SilencedUntilAsync(string ruleId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>When the rule last started a runbook session, or null.</summary>
    Task<DateTimeOffset?> LastRunbookAsync(string ruleId, CancellationToken cancellationToken = default);
}

/// <summary>A check or rule made through the API: its JSON definition and who made it.</summary>
public sealed record StoredDefinition(string Id, string Json, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One check result: its value (null when it has none, e.g. a failed connection) and whether it passed.</summary>
public sealed record CheckSample(string CheckId, DateTimeOffset At, double? Value, bool Ok);
