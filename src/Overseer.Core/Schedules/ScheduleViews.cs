using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Storage;

namespace Overseer.Core.Schedules;

/// <summary>Schedules and runs as stored, as the API shows them.</summary>
public static class ScheduleViews
{
    public static ScheduleDto ToDto(ScheduleRecord s, ScheduleRunRow? lastRun)
    {
        var options = Options(s);
        return new ScheduleDto(s.Id, s.Name, s.ProjectId, s.TemplateId, Parameters(s), s.Cron, s.TimeZone, s.Enabled, s.MissedPolicy, s.OverlapPolicy,
            s.Retry is null ? null : JsonSerializer.Deserialize(s.Retry, OverseerJson.Default.RetryPolicyDto),
            options.Runtime, options.Model, options.Isolation, options.Priority, options.Script,
            new UserRefDto(s.CreatedByUserId ?? "", s.CreatedBy), s.CreatedAt, s.UpdatedAt, s.LastSlot, s.Enabled ? s.NextSlot : null,
            lastRun is null ? null : ToDto(lastRun));
    }

    public static ScheduleRunDto ToDto(ScheduleRunRow row) => new(
        row.Run.Id, row.Run.ScheduleId, row.Run.Slot, row.Run.Trigger, row.Run.Status, row.Run.SessionId, row.Run.Reason, row.Run.CreatedAt,
        SessionStatusNames.TryParse(row.LatestStatus, out var status) ? status : null, row.LatestSessionId, row.Attempts, row.CostUsd);

    public static Dictionary<string, JsonElement> Parameters(ScheduleRecord s) =>
        JsonSerializer.Deserialize(s.Parameters, OverseerJson.Default.DictionaryStringJsonElement) ?? [];

    public static ScheduleRunOptions Options(ScheduleRecord s) =>
        JsonSerializer.Deserialize(s.Options, ScheduleJson.Default.ScheduleRunOptions) ?? new ScheduleRunOptions();
}
