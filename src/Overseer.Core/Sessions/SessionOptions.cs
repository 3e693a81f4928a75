namespace Overseer.Core.Sessions;

public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>Sent to the agent when a phase review is approved.</summary>
    public string NextPhasePrompt { get; set; } = "The phase was approved. Continue with the next phase.";

    /// <summary>An approval not decided within this time is denied.</summary>
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The runtime of a session created without one.</summary>
    public string DefaultRuntime { get; set; } = "scripted";

    /// <summary>
    /// An agent with nothing to do for this long (its session idle, or held on a person) has its
    /// process stopped; the next message, answer or decision resumes the conversation in a new
    /// one. <see cref="TimeSpan.Zero"/> keeps agents until their session ends.
    /// </summary>
    public TimeSpan HibernateAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The message sent when an interrupted session is resumed without one of its own.</summary>
    public string ResumePrompt { get; set; } = "Continue where you left off.";

    /// <summary>
    /// At start-up, resume (with <see cref="ResumePrompt"/>) the sessions that Overseer stopping or
    /// crashing interrupted mid-turn, as slots free up. Off: they wait for a person to resume them.
    /// </summary>
    public bool ResumeInterruptedOnStart { get; set; }

    /// <summary>Longest tool output kept in a tool.result event; the full size is recorded.</summary>
    public int MaxToolOutputChars { get; set; } = 64 * 1024;

    /// <summary>Longest text kept in one agent.text or agent.thinking event; a longer text is cut, marked truncated, and its full length recorded.</summary>
    public int MaxEventTextChars { get; set; } = 256 * 1024;

    /// <summary>How long shutdown waits for agents to stop before it stops waiting.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Marks this server's agent processes (set from the data directory), so ones a crash left
    /// behind are found and stopped at the next start.
    /// </summary>
    public string? AgentOwner { get; set; }

    /// <summary>First wait after a 429 with no reset time; doubles on each consecutive one.</summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRateLimitBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Environment every agent gets (the session's own secrets are added to it).</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}
