namespace Overseer.Core.Agents.ClaudeCode;

public enum SilenceAction
{
    /// <summary>Send the CLI an interrupt; the session goes idle and can take a follow-up.</summary>
    Interrupt,
    /// <summary>Stop the CLI and fail the session.</summary>
    Fail,
}

public sealed class ClaudeCodeOptions
{
    public const string Section = "Runtimes:ClaudeCode";

    /// <summary>The <c>claude</c> executable: a path, or a name looked up on PATH.</summary>
    public string ExecutablePath { get; set; } = "claude";

    /// <summary>Model when the session names none (the CLI's own default when empty).</summary>
    public string? Model { get; set; }

    /// <summary><c>--permission-mode</c> (default, acceptEdits, plan, ...); the CLI's default when empty.</summary>
    public string? PermissionMode { get; set; }

    /// <summary>Extra arguments appended to every command line, as argv (never parsed by a shell).</summary>
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>Environment variables every claude process gets.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];

    /// <summary>Longest stdout line accepted; a longer one becomes an error event.</summary>
    public int MaxLineBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Between SIGTERM and SIGKILL when a session's agent is stopped.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>No output for this long while a turn runs counts as stalled.</summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public SilenceAction OnSilence { get; set; } = SilenceAction.Interrupt;

    /// <summary>Most stderr kept per session, in bytes; later stderr is counted, not stored.</summary>
    public int MaxStderrBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Longest stderr line kept whole; a longer one keeps its first and last half of this and the
    /// number of bytes dropped, and is never held in memory whole.
    /// </summary>
    public int MaxStderrLineBytes { get; set; } = 8 * 1024;

    /// <summary>
    /// After this many <c>agent.error</c>s in one turn (unreadable lines, broken values) the agent
    /// is stopped and the turn fails: past that point it is writing garbage, not working.
    /// </summary>
    public int MaxAgentErrorsPerTurn { get; set; } = 100;
}
