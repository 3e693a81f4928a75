namespace Overseer.Core.Sessions;

public enum CommandOutcome
{
    Done,
    NotFound,
    InvalidState,
    Invalid,
}

/// <summary>What a command on a session came to; the API maps it to a status code.</summary>
public sealed record CommandResult(CommandOutcome Outcome, string? Message = null, string? Code = null)
{
    public static readonly CommandResult Done = new(CommandOutcome.Done);

    public bool Succeeded => Outcome == CommandOutcome.Done;

    public static CommandResult NotFound(string message, string code) => new(CommandOutcome.NotFound, message, code);

    public static CommandResult InvalidState(string message) => new(CommandOutcome.InvalidState, message, "INVALID_STATE");

    public static CommandResult Invalid(string message, string code) => new(CommandOutcome.Invalid, message, code);
}
