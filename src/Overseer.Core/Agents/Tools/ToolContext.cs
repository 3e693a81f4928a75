using Overseer.Core.Sandbox;

namespace Overseer.Core.Agents.Tools;

/// <summary>
/// What a tool may use for one session: the files the session's sandbox shows (and nothing else of
/// the host), the sandbox for commands, the session's environment and whether it has a network.
/// </summary>
public sealed class ToolContext(
    string sessionId,
    string projectName,
    FileScope files,
    IAgentSandbox sandbox,
    IReadOnlyDictionary<string, string> environment,
    bool network,
    ToolLimits limits,
    string? agentOwner)
{
    public string SessionId => sessionId;

    public string ProjectName => projectName;

    public FileScope Files => files;

    public IAgentSandbox Sandbox => sandbox;

    public IReadOnlyDictionary<string, string> Environment => environment;

    /// <summary>False when the project's sandbox has no network: WebFetch refuses.</summary>
    public bool Network => network;

    public ToolLimits Limits => limits;

    /// <summary>Marks the server's processes (see <see cref="OrphanReaper"/>).</summary>
    public string? AgentOwner => agentOwner;

    /// <summary>
    /// Where the next Bash command starts: where the last one ended (like Claude Code's shell),
    /// as long as that is still inside the working directory.
    /// </summary>
    public string ShellDirectory { get; set; } = files.WorkingDirectory;

    /// <summary>Said once per connection, on the first command: how the wall around commands is built.</summary>
    public Func<Contracts.Events.AgentSandboxData, ValueTask>? ReportSandbox { get; set; }

    /// <summary>A sandbox limit a command reached.</summary>
    public Func<Contracts.Events.AgentLimitReachedData, ValueTask>? ReportLimit { get; set; }
}

/// <summary>Bounds on what one tool call may cost.</summary>
public sealed record ToolLimits(
    TimeSpan BashDefaultTimeout,
    TimeSpan BashMaxTimeout,
    int MaxOutputChars,
    int MaxReadLines,
    long MaxReadBytes,
    long MaxFetchBytes,
    TimeSpan FetchTimeout,
    int MaxSearchResults)
{
    public static readonly ToolLimits Default = new(
        TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), 30_000, 2000, 10 * 1024 * 1024, 5 * 1024 * 1024, TimeSpan.FromSeconds(30), 1000);
}
