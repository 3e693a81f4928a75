using Overseer.Contracts.Monitoring;

namespace Overseer.Core.Monitoring;

/// <summary><c>Monitoring:*</c> settings: checks and rules from the settings file, tier intervals, retention.</summary>
public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>Off: no check runs (the API still lists and stores definitions).</summary>
    public bool Enabled { get; set; } = true;

    public List<CheckDefinition> Checks { get; set; } = [];

    public List<AlertRuleDefinition> Rules { get; set; } = [];

    public MonitoringTiers Tiers { get; set; } = new();

    /// <summary>How far each interval is spread, as a fraction (0.1: ±5%), so checks of one tier do not all run at once.</summary>
    public double Jitter { get; set; } = 0.1;

    /// <summary>Checks running at once; the rest wait their turn.</summary>
    public int MaxConcurrent { get; set; } = 4;

    /// <summary>Raw results are kept this long, then averaged into 5-minute rows.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>5-minute averages are kept this long.</summary>
    public TimeSpan RollupRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Where command checks run (their working directory, inside the sandbox). Set by the host.</summary>
    public string? WorkDirectory { get; set; }
}

/// <summary>The tier intervals (seed 000): critical 12 s, important 32 s, routine 5 min, background 30 min.</summary>
public sealed class MonitoringTiers
{
    public TimeSpan Critical { get; set; } = TimeSpan.FromSeconds(12);
    public TimeSpan Important { get; set; } = TimeSpan.FromSeconds(32);
    public TimeSpan Routine { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan Background { get; set; } = TimeSpan.FromMinutes(30);

    public static readonly IReadOnlyList<string> Names = ["critical", "important", "routine", "background"];

    public TimeSpan IntervalOf(string? tier) => tier switch
    {
        "critical" => Critical,
        "routine" => Routine,
        "background" => Background,
        _ => Important,
    };
}
