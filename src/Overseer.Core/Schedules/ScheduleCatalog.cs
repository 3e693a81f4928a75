using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Retries;
using Overseer.Core.Sessions;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Core.Schedules;

/// <summary>
/// Schedules: saving one (every field checked, its parameters against its template's schema),
/// listing, enabling and disabling. A schedule counts its slots from when it was last saved or
/// enabled, so a change never makes it "miss" runs it was not meant to have. The runner is woken
/// after every change.
/// </summary>
public sealed class ScheduleCatalog(IScheduleStore store, TemplateCatalog templates, SessionManager sessions, IReadModel readModel, RunSignals signals, TimeProvider time)
{
    public const int MaxNameChars = 100;
    public const int PreviewCount = 5;

    public static readonly IReadOnlyList<string> MissedPolicies = ["skip", "run_once"];
    public static readonly IReadOnlyList<string> OverlapPolicies = ["skip", "queue", "allow"];

    public async Task<IReadOnlyList<ScheduleDto>> ListAsync(IReadOnlyCollection<string>? projects, CancellationToken cancellationToken)
    {
        var list = new List<ScheduleDto>();
        foreach (var schedule in await store.ListAsync(projects, cancellationToken))
            list.Add(ScheduleViews.ToDto(schedule, await LastRunAsync(schedule.Id, cancellationToken)));
        return list;
    }

    public async Task<ScheduleDto?> FindAsync(string id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } schedule ? ScheduleViews.ToDto(schedule, await LastRunAsync(id, cancellationToken)) : null;

    public async Task<ScheduleOutcome> CreateAsync(SaveScheduleRequest request, ActedBy by, CancellationToken cancellationToken)
    {
        var (checkedRequest, problem) = await CheckAsync(request, cancellationToken);
        if (problem is not null)
            return problem;
        var (cron, parameters, options) = checkedRequest!.Value;
        var now = time.GetUtcNow();
        var enabled = request.Enabled ?? true;
        var record = new ScheduleRecord(Ids.New("sch"), request.Name!.Trim(), request.ProjectId!, request.TemplateId!, parameters, request.Cron!.Trim(), request.TimeZone!.Trim(),
            enabled, request.MissedPolicy ?? "run_once", request.OverlapPolicy ?? "skip", Retry(request.Retry), options,
            by.Name, by.UserId, by.TokenId, now, now, now, enabled ? cron.NextAfter(now) : null);
        if (!await store.AddAsync(record, cancellationToken))
            return NameTaken(record.Name);
        signals.Schedules.Set();
        return new ScheduleOutcome(ScheduleViews.ToDto(record, null));
    }

    /// <summary>Replaces a schedule's definition; its slots count afresh from now.</summary>
    public async Task<ScheduleOutcome> UpdateAsync(string id, SaveScheduleRequest request, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(id, cancellationToken);
        if (existing is null)
            return ScheduleOutcome.NotFound(id);
        var (checkedRequest, problem) = await CheckAsync(request, cancellationToken);
        if (problem is not null)
            return problem;
        var (cron, parameters, options) = checkedRequest!.Value;
        var now = time.GetUtcNow();
        var enabled = request.Enabled ?? existing.Enabled;
        var record = existing with
        {
            Name = request.Name!.Trim(), ProjectId = request.ProjectId!, TemplateId = request.TemplateId!, Parameters = parameters, Cron = request.Cron!.Trim(),
            TimeZone = request.TimeZone!.Trim(), Enabled = enabled, MissedPolicy = request.MissedPolicy ?? existing.MissedPolicy,
            OverlapPolicy = request.OverlapPolicy ?? existing.OverlapPolicy, Retry = Retry(request.Retry), Options = options, UpdatedAt = now,
            LastSlot = now, NextSlot = enabled ? cron.NextAfter(now) : null,
        };
        switch (await store.UpdateAsync(record, cancellationToken))
        {
            case null:
                return ScheduleOutcome.NotFound(id);
            case false:
                return NameTaken(record.Name);
        }
        signals.Schedules.Set();
        return new ScheduleOutcome(ScheduleViews.ToDto(record, await LastRunAsync(id, cancellationToken)));
    }

    /// <summary>Enables (counting slots from now: nothing is "missed" while it was off) or disables a schedule.</summary>
    public async Task<ScheduleOutcome> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        var existing = await store.FindAsync(id, cancellationToken);
        if (existing is null)
            return ScheduleOutcome.NotFound(id);
        if (existing.Enabled != enabled)
        {
            var now = time.GetUtcNow();
            var cron = CronSchedule.Parse(existing.Cron, existing.TimeZone).Schedule;
            if (enabled && cron is null)
                return ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"The time zone \"{existing.TimeZone}\" is no longer known to this server; change the schedule's timeZone.", "timeZone");
            var record = existing with
            {
                Enabled = enabled, UpdatedAt = now, LastSlot = enabled ? now : existing.LastSlot, NextSlot = enabled ? cron!.NextAfter(now) : null,
            };
            if (await store.UpdateAsync(record, cancellationToken) is null)
                return ScheduleOutcome.NotFound(id);
            signals.Schedules.Set();
            existing = record;
        }
        return new ScheduleOutcome(ScheduleViews.ToDto(existing, await LastRunAsync(id, cancellationToken)));
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var removed = await store.RemoveAsync(id, cancellationToken);
        signals.Schedules.Set();
        return removed;
    }

    /// <summary>The next times <paramref name="cron"/> fires in <paramref name="timeZone"/>, or what is wrong with them.</summary>
    public (CronPreviewDto? Preview, ScheduleOutcome? Problem) Preview(string? cron, string? timeZone, int count = PreviewCount)
    {
        var (schedule, problem, field) = CronSchedule.Parse(cron, timeZone);
        if (schedule is null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, problem!, field));
        var next = schedule.Next(time.GetUtcNow(), count);
        return (new CronPreviewDto(cron!.Trim(), timeZone!.Trim(), next, next.Select(schedule.Local).ToList()), null);
    }

    public async Task<IReadOnlyList<ScheduleRunDto>> RunsAsync(string id, string? cursor, int limit, CancellationToken cancellationToken) =>
        (await store.ListRunsAsync(id, cursor, limit, cancellationToken)).Items.Select(ScheduleViews.ToDto).ToList();

    private async Task<ScheduleRunRow?> LastRunAsync(string id, CancellationToken cancellationToken) =>
        (await store.ListRunsAsync(id, null, 1, cancellationToken)).Items.FirstOrDefault();

    private async Task<((CronSchedule Cron, string Parameters, string Options)? Value, ScheduleOutcome? Problem)> CheckAsync(SaveScheduleRequest r, CancellationToken cancellationToken)
    {
        if (Text(r.Name, "name") is { } name)
            return (null, name);
        if (string.IsNullOrWhiteSpace(r.ProjectId))
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, "projectId is required.", "projectId"));
        if (await readModel.GetProjectAsync(r.ProjectId, cancellationToken) is null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.ProjectNotFound, $"No project has id '{r.ProjectId}'.", "projectId"));
        if (string.IsNullOrWhiteSpace(r.TemplateId))
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, "templateId is required: the template each run starts.", "templateId"));
        if (await templates.FindAsync(r.TemplateId, cancellationToken) is not { } template)
            return (null, ScheduleOutcome.Fail(ErrorCodes.TemplateNotFound, $"No template has id '{r.TemplateId}'.", "templateId"));
        var (compiled, schemaProblem) = TemplateParameters.Create(template.ParametersSchema, template.Prompt);
        if (compiled is null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"Template '{template.Name}' cannot run: {schemaProblem}", "templateId"));
        var (_, parameterProblem) = compiled.Check(r.Parameters);
        if (parameterProblem is not null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidParameter, parameterProblem.Message, parameterProblem.Name.Length == 0 ? "parameters" : "parameters." + parameterProblem.Name));
        var (cron, cronProblem, cronField) = CronSchedule.Parse(r.Cron, r.TimeZone);
        if (cron is null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, cronProblem!, cronField));
        if (cron.NextAfter(time.GetUtcNow()) is null)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"cron \"{r.Cron!.Trim()}\" never fires (no such date comes again).", "cron"));
        if (r.MissedPolicy is { } missed && !MissedPolicies.Contains(missed))
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"missedPolicy must be one of: {string.Join(", ", MissedPolicies)}.", "missedPolicy"));
        if (r.OverlapPolicy is { } overlap && !OverlapPolicies.Contains(overlap))
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"overlapPolicy must be one of: {string.Join(", ", OverlapPolicies)}.", "overlapPolicy"));
        if (RetryPolicies.Problem(r.Retry) is { } retry)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, retry.Message, retry.Field));
        var runtimeName = r.Runtime ?? template.Defaults.Runtime ?? sessions.DefaultRuntime;
        if (sessions.Runtimes.FirstOrDefault(x => x.Name == runtimeName) is not { } runtime)
            return (null, ScheduleOutcome.Fail(ErrorCodes.UnknownRuntime, $"runtime '{runtimeName}' is not one of: {string.Join(", ", sessions.Runtimes.Select(x => x.Name).Order())}.", "runtime"));
        if (runtime.Validate(r.Script) is { } scriptProblem)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidScript, scriptProblem, "script"));
        if (r.Isolation is not (null or "none" or "worktree"))
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, "isolation must be \"worktree\" or \"none\".", "isolation"));
        if (r.Priority is < -100 or > 100)
            return (null, ScheduleOutcome.Fail(ErrorCodes.InvalidField, "priority must be between -100 and 100.", "priority"));
        var parameters = JsonSerializer.Serialize(r.Parameters ?? [], OverseerJson.Default.DictionaryStringJsonElement);
        var options = JsonSerializer.Serialize(new ScheduleRunOptions(r.Runtime, r.Model, r.Isolation, r.Priority,
            r.Script is { ValueKind: not JsonValueKind.Null } script ? script : null), ScheduleJson.Default.ScheduleRunOptions);
        return ((cron, parameters, options), null);
    }

    private static ScheduleOutcome? Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            return ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"{field} is required and must not be empty.", field);
        if (value.Length > MaxNameChars)
            return ScheduleOutcome.Fail(ErrorCodes.InvalidField, $"{field} may be at most {MaxNameChars} characters.", field);
        if (Contracts.Text.NameText.Problem(value, field) is { } problem)
            return ScheduleOutcome.Fail(ErrorCodes.InvalidField, problem, field);
        return null;
    }

    private static string? Retry(RetryPolicyDto? policy) => policy is null ? null : JsonSerializer.Serialize(policy, OverseerJson.Default.RetryPolicyDto);

    private static ScheduleOutcome NameTaken(string name) =>
        ScheduleOutcome.Fail(ErrorCodes.ScheduleExists, $"The project already has a schedule named '{name}'.", "name");
}
