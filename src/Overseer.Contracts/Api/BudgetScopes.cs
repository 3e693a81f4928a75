namespace Overseer.Contracts.Api;

/// <summary>What a budget caps: one session, a project, the sessions a user starts, or everything.</summary>
public static class BudgetScopes
{
    public const string Session = "session";
    public const string Project = "project";
    public const string User = "user";
    public const string Global = "global";

    public static IReadOnlyList<string> All { get; } = [Session, Project, User, Global];
}

/// <summary>
/// The time a budget's spend is counted over: a session's whole life (<c>none</c>), or a calendar
/// day or month in UTC.
/// </summary>
public static class BudgetPeriods
{
    public const string None = "none";
    public const string Day = "day";
    public const string Month = "month";
}
