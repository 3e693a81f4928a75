using System.Diagnostics;

namespace Overseer.Core.Sandbox;

/// <summary>
/// The wall around every agent process a runtime starts. A runtime builds its command as it
/// would run it bare; the sandbox returns the command that runs it walled in.
/// </summary>
public interface IAgentSandbox
{
    SandboxStatus Status { get; }

    /// <summary>
    /// Wraps <paramref name="executable"/> and its arguments for <paramref name="request"/>:
    /// <paramref name="start"/> receives the final file name and argv (its environment is the
    /// agent's). Throws <see cref="SandboxUnavailableException"/> when the sandbox is required
    /// and cannot work here.
    /// </summary>
    SandboxedAgent Wrap(ProcessStartInfo start, string executable, IReadOnlyList<string> arguments, SandboxRequest request);
}

/// <summary>What the sandbox needs of one agent start.</summary>
public sealed record SandboxRequest(string SessionId, string ProjectName, string WorkingDirectory);

/// <summary>Whether agents are walled in here, and how (for <c>/health</c> and <c>overseer doctor</c>).</summary>
public sealed record SandboxStatus(string Mode, bool Working, string Detail, string Limits);

public sealed class SandboxUnavailableException(string message) : Exception(message);
