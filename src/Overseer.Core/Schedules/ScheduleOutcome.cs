using Overseer.Contracts.Api;

namespace Overseer.Core.Schedules;

/// <summary>A schedule changed or read, or why not (<see cref="Code"/> is one of <see cref="ErrorCodes"/>; <see cref="Field"/> names the field at fault).</summary>
public sealed record ScheduleOutcome(ScheduleDto? Schedule, string? Code = null, string? Message = null, string? Field = null)
{
    public static ScheduleOutcome Fail(string code, string message, string? field = null) => new(null, code, message, field);

    public static ScheduleOutcome NotFound(string id) => Fail(ErrorCodes.ScheduleNotFound, $"No schedule has id '{id}'.");
}
