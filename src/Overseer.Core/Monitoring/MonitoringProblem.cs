using Overseer.Contracts.Api;

namespace Overseer.Core.Monitoring;

/// <summary>Why a check, rule or alert request was refused: a stable code, words, and the field.</summary>
public sealed record MonitoringProblem(string Code, string Message, string? Field = null)
{
    public static MonitoringProblem Invalid(string field, string message) => new(ErrorCodes.InvalidField, $"{field} {message}", field);
}
