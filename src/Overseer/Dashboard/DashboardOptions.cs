namespace Overseer.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Sign-in attempts allowed per client address per minute; more answer 429.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 20;

    /// <summary>Password attempts allowed per user name per minute, from any address; more answer 429.</summary>
    public int LoginAttemptsPerUserPerMinute { get; set; } = 10;
}
