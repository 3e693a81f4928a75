using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Schedules;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Core.Monitoring;

/// <summary>
/// The checks and rules in force: the settings file's (validated at start-up, changed only there)
/// and those made through the API (stored). A snapshot is read once per change; the monitor wakes
/// on <see cref="Changed"/>.
/// </summary>
public sealed partial class MonitoringCatalog(
    IOptions<MonitoringOptions> options,
    IMonitoringStore store,
    TemplateCatalog templates,
    IReadModel readModel,
    TimeProvider time,
    ILogger<MonitoringCatalog> logger)
{
    public const string FromSettings = "settings";
    public const string FromApi = "api";

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile MonitoringSnapshot? _snapshot;

    public Wakeup Changed { get; } = new();

    public async Task<MonitoringSnapshot> SnapshotAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } snapshot)
            return snapshot;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _snapshot ??= await LoadAsync(cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    public async Task<(CheckEntry? Check, MonitoringProblem? Problem)> AddCheckAsync(CheckDefinition? definition, ActedBy by, CancellationToken cancellationToken)
    {
        var (check, problem) = CheckValidation.Normalize(definition, options.Value.Tiers);
        if (problem is not null)
            return (null, problem);
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.Check(check!.Id!) is not null
            || !await store.AddDefinitionAsync("check", new StoredDefinition(check.Id!, JsonSerializer.Serialize(check, MonitoringJson.Default.CheckDefinition), by.Name, time.GetUtcNow()), cancellationToken))
            return (null, new MonitoringProblem(ErrorCodes.CheckExists, $"A check has the id '{check.Id}' already.", "id"));
        Invalidate();
        return ((await SnapshotAsync(cancellationToken)).Check(check.Id!), null);
    }

    public async Task<MonitoringProblem?> DeleteCheckAsync(string id, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.Check(id) is not { } check)
            return new MonitoringProblem(ErrorCodes.CheckNotFound, $"No check has id '{id}'.");
        if (check.Source == FromSettings)
            return new MonitoringProblem(ErrorCodes.DefinedInSettings, $"Check '{id}' is defined in the settings file (Monitoring:Checks); remove it there.");
        if (snapshot.RulesFor(id).FirstOrDefault() is { } rule)
            return new MonitoringProblem(ErrorCodes.InvalidState, $"Rule '{rule.Id}' watches check '{id}'; delete the rule first.");
        await store.DeleteDefinitionAsync("check", id, cancellationToken);
        Invalidate();
        return null;
    }

    public async Task<(RuleSpec? Rule, MonitoringProblem? Problem)> AddRuleAsync(AlertRuleDefinition? definition, ActedBy by, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        var (rule, problem) = RuleValidation.Normalize(definition, id => snapshot.Check(id) is not null, FromApi);
        if (problem is not null)
            return (null, problem);
        if (rule!.Definition.Runbook is { } runbook)
        {
            if (await templates.FindAsync(runbook.Template!, cancellationToken) is null)
                return (null, new MonitoringProblem(ErrorCodes.TemplateNotFound, $"No template has id '{runbook.Template}'.", "runbook.template"));
            if (await readModel.GetProjectAsync(runbook.Project!, cancellationToken) is null)
                return (null, new MonitoringProblem(ErrorCodes.ProjectNotFound, $"No project has id '{runbook.Project}'.", "runbook.project"));
        }
        if (snapshot.Rule(rule.Id) is not null
            || !await store.AddDefinitionAsync("rule", new StoredDefinition(rule.Id, JsonSerializer.Serialize(rule.Definition, MonitoringJson.Default.AlertRuleDefinition), by.Name, time.GetUtcNow()), cancellationToken))
            return (null, new MonitoringProblem(ErrorCodes.AlertRuleExists, $"A rule has the id '{rule.Id}' already.", "id"));
        Invalidate();
        return ((await SnapshotAsync(cancellationToken)).Rule(rule.Id), null);
    }

    public async Task<MonitoringProblem?> DeleteRuleAsync(string id, CancellationToken cancellationToken)
    {
        var snapshot = await SnapshotAsync(cancellationToken);
        if (snapshot.Rule(id) is not { } rule)
            return new MonitoringProblem(ErrorCodes.AlertRuleNotFound, $"No rule has id '{id}'.");
        if (rule.Source == FromSettings)
            return new MonitoringProblem(ErrorCodes.DefinedInSettings, $"Rule '{id}' is defined in the settings file (Monitoring:Rules); remove it there.");
        await store.DeleteDefinitionAsync("rule", id, cancellationToken);
        Invalidate();
        return null;
    }

    private void Invalidate()
    {
        _snapshot = null;
        Changed.Set();
    }

    private async Task<MonitoringSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var tiers = options.Value.Tiers;
        var checks = new List<CheckEntry>();
        foreach (var definition in options.Value.Checks)
        {
            if (CheckValidation.Normalize(definition, tiers).Check is { } check)
                checks.Add(new CheckEntry(check, FromSettings, tiers.IntervalOf(check.Tier)));
        }
        foreach (var stored in await store.ListDefinitionsAsync("check", cancellationToken))
        {
            var (check, problem) = CheckValidation.Normalize(JsonSerializer.Deserialize(stored.Json, MonitoringJson.Default.CheckDefinition), tiers);
            if (check is null || checks.Any(c => c.Id == check.Id))
                LogSkipped("check", stored.Id, problem?.Message ?? "a check in the settings file has its id");
            else
                checks.Add(new CheckEntry(check, FromApi, tiers.IntervalOf(check.Tier)));
        }
        var ids = checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var rules = new List<RuleSpec>();
        foreach (var definition in options.Value.Rules)
        {
            if (RuleValidation.Normalize(definition, ids.Contains, FromSettings).Rule is { } rule)
                rules.Add(rule);
        }
        foreach (var stored in await store.ListDefinitionsAsync("rule", cancellationToken))
        {
            var (rule, problem) = RuleValidation.Normalize(JsonSerializer.Deserialize(stored.Json, MonitoringJson.Default.AlertRuleDefinition), ids.Contains, FromApi);
            if (rule is null || rules.Any(r => r.Id == rule.Id))
                LogSkipped("rule", stored.Id, problem?.Message ?? "a rule in the settings file has its id");
            else
                rules.Add(rule);
        }
        return new MonitoringSnapshot(checks, rules);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Monitoring: the stored {Kind} {Id} is skipped: {Problem}")]
    private partial void LogSkipped(string kind, string id, string problem);
}

/// <summary>A check in force: its definition, where it comes from and its tier's interval.</summary>
public sealed record CheckEntry(CheckDefinition Definition, string Source, TimeSpan Interval)
{
    public string Id => Definition.Id!;
    public string Name => Definition.Name ?? Definition.Id!;
}

/// <summary>The checks and rules in force at one moment.</summary>
public sealed class MonitoringSnapshot(IReadOnlyList<CheckEntry> checks, IReadOnlyList<RuleSpec> rules)
{
    private readonly Dictionary<string, CheckEntry> _checks = checks.ToDictionary(c => c.Id, StringComparer.Ordinal);
    private readonly ILookup<string, RuleSpec> _byCheck = rules.ToLookup(r => r.CheckId, StringComparer.Ordinal);

    public IReadOnlyList<CheckEntry> Checks { get; } = checks;
    public IReadOnlyList<RuleSpec> Rules { get; } = rules;

    public CheckEntry? Check(string id) => _checks.GetValueOrDefault(id);

    public RuleSpec? Rule(string id) => Rules.FirstOrDefault(r => r.Id == id);

    public IEnumerable<RuleSpec> RulesFor(string checkId) => _byCheck[checkId];
}
