using Overseer.Contracts.Api;

namespace Overseer.Core.Budgets;

/// <summary>
/// A budget set or removed, or why not: <see cref="Code"/> is one of <see cref="ErrorCodes"/>,
/// <see cref="Status"/> the HTTP status it answers with, <see cref="Field"/> the field at fault.
/// </summary>
public sealed record BudgetOutcome(BudgetDto? Budget, bool Created = false, int Status = 200, string? Code = null, string? Message = null, string? Field = null)
{
    public bool Succeeded => Code is null;

    public static BudgetOutcome Fail(int status, string code, string message, string? field = null) => new(null, false, status, code, message, field);

    public static BudgetOutcome Invalid(string message, string field) => Fail(400, ErrorCodes.InvalidField, message, field);
}
