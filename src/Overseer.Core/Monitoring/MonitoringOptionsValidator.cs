using Microsoft.Extensions.Options;

namespace Overseer.Core.Monitoring;

/// <summary>
/// Checks the settings file's monitoring section at start-up: a bad check or rule stops the
/// server with its place named (<c>Monitoring:Checks:2:target must be …</c>).
/// </summary>
internal sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
{
    public ValidateOptionsResult Validate(string? name, MonitoringOptions options)
    {
        var failures = new List<string>();
        var t = options.Tiers;
        if (new[] { t.Critical, t.Important, t.Routine, t.Background }.Any(i => i < TimeSpan.FromMilliseconds(100) || i > TimeSpan.FromDays(1)))
            failures.Add("Monitoring:Tiers: every interval must be between 00:00:00.1 and 1.00:00:00.");
        if (options.Jitter is < 0 or > 1 || !double.IsFinite(options.Jitter))
            failures.Add("Monitoring:Jitter must be between 0 and 1.");
        if (options.MaxConcurrent is < 1 or > 256)
            failures.Add("Monitoring:MaxConcurrent must be between 1 and 256.");
        if (options.RawRetention < TimeSpan.FromHours(1) || options.RollupRetention < options.RawRetention)
            failures.Add("Monitoring:RawRetention must be at least 01:00:00, and RollupRetention at least RawRetention.");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Checks.Count; i++)
        {
            var (check, problem) = CheckValidation.Normalize(options.Checks[i], t);
            if (problem is not null)
                failures.Add($"Monitoring:Checks:{i}:{problem.Message}");
            else if (!ids.Add(check!.Id!))
                failures.Add($"Monitoring:Checks:{i}: the id '{check.Id}' is used twice.");
        }
        var rules = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var (rule, problem) = RuleValidation.Normalize(options.Rules[i], ids.Contains, MonitoringCatalog.FromSettings);
            if (problem is not null)
                failures.Add($"Monitoring:Rules:{i}:{problem.Message}");
            else if (!rules.Add(rule!.Id))
                failures.Add($"Monitoring:Rules:{i}: the id '{rule.Id}' is used twice.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
