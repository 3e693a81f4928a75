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

    /// <summary>
    /// Longest agent-produced text an event carries whole (agent text and thinking, tool input and
    /// output, errors, raw messages). A longer one is stored once as a blob of its session and the
    /// event carries its first this-many chars, marked truncated, with its full length and blob id.
    /// </summary>
    public int EventPreviewChars { get; set; } = 16 * 1024;

    /// <summary>The bounds <see cref="EventPreviewChars"/> is validated against at start-up.</summary>
    public const int MinEventPreviewChars = 1024, MaxEventPreviewChars = 1024 * 1024;

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
