namespace Overseer.Triggers;

/// <summary>Problem codes of the trigger routes and of <c>POST /hooks/{id}</c>.</summary>
public static class TriggerErrors
{
    public const string TriggerNotFound = "TRIGGER_NOT_FOUND";
    /// <summary>A hook whose signature (or GitLab token) is missing or wrong, or whose timestamp is outside the replay window.</summary>
    public const string BadSignature = "BAD_SIGNATURE";
    public const string TriggerDisabled = "TRIGGER_DISABLED";
    /// <summary>A rule matched but its session could not start (the parameters, the owner's rights); the detail says why.</summary>
    public const string RuleFailed = "TRIGGER_RULE_FAILED";
}
