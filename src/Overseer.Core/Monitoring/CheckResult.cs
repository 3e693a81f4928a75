namespace Overseer.Core.Monitoring;

/// <summary>What one run of a check found: whether it passed, its value (latency, percent, count, exit status) and in words.</summary>
public sealed record CheckResult(bool Ok, double? Value, string? Unit, string Message)
{
    public static CheckResult Fail(string message, double? value = null, string? unit = null) => new(false, value, unit, message);
}
