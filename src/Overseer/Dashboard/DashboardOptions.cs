namespace Overseer.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Sign-in attempts allowed per client address per minute; more answer 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;
}
