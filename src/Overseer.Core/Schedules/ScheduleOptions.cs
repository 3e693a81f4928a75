namespace Overseer.Core.Schedules;

/// <summary><c>Schedules:*</c> settings.</summary>
public sealed class ScheduleOptions
{
    public const string Section = "Schedules";

    /// <summary>
    /// A slot not fired within this long of its time counts as missed (Overseer was down, the
    /// machine asleep), and the schedule's missed policy decides what happens to it.
    /// </summary>
    public TimeSpan MissedAfter { get; set; } = TimeSpan.FromMinutes(1);
}
