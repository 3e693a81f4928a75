namespace Overseer.Cli.Client;

/// <summary>A failure to report as one line on stderr, ending the command with <see cref="ExitCode"/>.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
