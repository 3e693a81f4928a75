namespace Overseer.Contracts.WebSockets;

/// <summary>Seed 004's project states, derived from the status of the project's current session.</summary>
public static class ProjectStates
{
    public const string Idle = "IDLE";
    public const string Executing = "EXECUTING";
    public const string Error = "ERROR";
}
