namespace Overseer.Core.Sessions;

public enum CommandOutcome
{
    Done,
    NotFound,
    InvalidState,
    Invalid,
}

/// <summary>What a command on a session came to; the API maps it to a status code. <paramref name="Field"/> names the request field at fault, when one is.</summary>
public sealed record CommandResult(CommandOutcome Outcome, string? Message = null, string? Code = null, string? Field = null)
{
    public static readonly CommandResult Done = new(CommandOutcome.Done);

    public bool Succeeded => Outcome == CommandOutcome.Done;

    public static CommandResult NotFound(string message, string code) => new(CommandOutcome.NotFound, message, code);

    public static CommandResult InvalidState(string message) => new(CommandOutcome.InvalidState, message, "INVALID_STATE");

    public static CommandResult Invalid(string message, string code, string? field = null) => new(CommandOutcome.Invalid, message, code, field);
}
