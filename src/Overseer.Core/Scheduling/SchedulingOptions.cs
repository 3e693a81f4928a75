namespace Overseer.Core.Scheduling;

public sealed class SchedulingOptions
{
    public const string Section = "Sessions";

    /// <summary>Sessions working on a turn at once; new sessions queue beyond this.</summary>
    public int MaxConcurrent { get; set; } = 4;
}
