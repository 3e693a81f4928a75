namespace Overseer.Core.Sessions;

/// <summary>How a person (or the timeout) decided a tool call held at the gate.</summary>
internal sealed record ApprovalOutcome(bool Approved, string By, string? Reason);
