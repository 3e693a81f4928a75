using System.Globalization;
using Microsoft.Extensions.Logging;
using Overseer.Contracts.Events;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Sessions;
using Overseer.Storage;

namespace Overseer.Core.Monitoring;

/// <summary>
/// Turns check results into alerts: each rule over the check sees the result (<see cref="RuleState"/>),
/// and a raise or resolve is appended as an <c>alert.*</c> event (the alerts table and the
/// notification outbox follow in its transaction). A raise starts the rule's runbook. One result
/// at a time, so a rule's state is never seen half-changed.
/// </summary>
public sealed partial class AlertEngine(IEventStore events, IMonitoringStore store, RunbookStarter runbooks, ILogger<AlertEngine> logger)
{
    public const string Actor = "monitor";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, RuleState> _states = new(StringComparer.Ordinal);
    private bool _restored;

    public bool IsFlapping(string ruleId)
    {
        lock (_states)
            return _states.TryGetValue(ruleId, out var state) && state.Flapping;
    }

    public async Task ObserveAsync(MonitoringSnapshot snapshot, CheckEntry check, CheckResult result, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await RestoreAsync(snapshot, cancellationToken);
            foreach (var rule in snapshot.RulesFor(check.Id))
            {
                RuleState state;
                lock (_states)
                {
                    if (!_states.TryGetValue(rule.Id, out state!))
                        _states[rule.Id] = state = new RuleState(rule);
                }
                state.Rule = rule;
                switch (state.Observe(at, result))
                {
                    case RuleTransition.Raise:
                        await RaiseAsync(state, check, result, cancellationToken);
                        break;
                    case RuleTransition.Resolve:
                        await ResolveAsync(state.FiringAlertId!, rule, $"{check.Name} is back: {result.Message}", result.Value, cancellationToken);
                        state.FiringAlertId = null;
                        break;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A rule was removed: its firing alert resolves (nothing would ever resolve it).</summary>
    public async Task ForgetRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            RuleState? state;
            lock (_states)
            {
                _states.Remove(ruleId, out state);
            }
            if (state?.FiringAlertId is { } alertId)
                await ResolveAsync(alertId, state.Rule, "The rule was removed.", null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task AcknowledgeAsync(string alertId, ActedBy by, CancellationToken cancellationToken) =>
        events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertAcknowledged, by.Name,
            new AlertAcknowledgedData(alertId, by.Name, by.UserId), MonitoringJson.Default.AlertAcknowledgedData)], cancellationToken);

    public Task SilenceAsync(AlertDto alert, DateTimeOffset until, ActedBy by, CancellationToken cancellationToken) =>
        events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertSilenced, by.Name,
            new AlertSilencedData(alert.Id, alert.RuleId, until, by.Name, by.UserId), MonitoringJson.Default.AlertSilencedData)], cancellationToken);

    private async Task RaiseAsync(RuleState state, CheckEntry check, CheckResult result, CancellationToken cancellationToken)
    {
        var rule = state.Rule;
        var alertId = Ids.New("al");
        var message = rule.When.IsDown
            ? $"{check.Name} is down: {result.Message}"
            : $"{check.Name}: {rule.When.Subject} is {Value(result)} ({rule.When})";
        await events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertRaised, Actor,
            new AlertRaisedData(alertId, rule.Id, rule.Name, check.Id, rule.Severity, message, result.Value, state.Flapping), MonitoringJson.Default.AlertRaisedData)], cancellationToken);
        state.FiringAlertId = alertId;
        LogRaised(alertId, rule.Id, message);
        try
        {
            if (await runbooks.StartAsync(rule, alertId, check, result, message, cancellationToken) is { } runbook)
            {
                await events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertRunbook, Actor,
                    new AlertRunbookData(alertId, rule.Id, runbook.SessionId, runbook.Error), MonitoringJson.Default.AlertRunbookData)], cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRunbookFailed(ex, alertId, rule.Id);
        }
    }

    private Task ResolveAsync(string alertId, RuleSpec rule, string message, double? value, CancellationToken cancellationToken)
    {
        LogResolved(alertId, rule.Id, message);
        return events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertResolved, Actor,
            new AlertResolvedData(alertId, rule.Id, rule.CheckId, message, value), MonitoringJson.Default.AlertResolvedData)], cancellationToken);
    }

    /// <summary>After a restart: rules with a firing alert go on from it; firing alerts of rules that are gone resolve.</summary>
    private async Task RestoreAsync(MonitoringSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (_restored)
            return;
        foreach (var alert in await store.ListAlertsAsync("firing", 10_000, cancellationToken))
        {
            if (snapshot.Rule(alert.RuleId) is { } rule)
            {
                lock (_states)
                    _states[rule.Id] = new RuleState(rule) { FiringAlertId = alert.Id };
            }
            else
            {
                await events.AppendAsync([EventFactory.Create(null, MonitoringEvents.AlertResolved, Actor,
                    new AlertResolvedData(alert.Id, alert.RuleId, alert.CheckId, "The rule was removed.", null), MonitoringJson.Default.AlertResolvedData)], cancellationToken);
            }
        }
        _restored = true;
    }

    private static string Value(CheckResult result) =>
        result.Value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) + (result.Unit is "%" ? "%" : result.Unit is { } u ? " " + u : "") : "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {AlertId} raised by rule {RuleId}: {Message}")]
    private partial void LogRaised(string alertId, string ruleId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} of rule {RuleId} resolved: {Message}")]
    private partial void LogResolved(string alertId, string ruleId, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "The runbook of rule {RuleId} failed to start for alert {AlertId}")]
    private partial void LogRunbookFailed(Exception exception, string alertId, string ruleId);
}
