namespace Overseer.Core.Budgets;

/// <summary>
/// What a budget check is about: a session (none before it exists), its project, and the user who
/// started it (none for the system).
/// </summary>
public sealed record BudgetSubject(string? SessionId, string ProjectId, string? UserId);
