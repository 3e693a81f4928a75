using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;
using Overseer.Core.Sessions;
using Overseer.Contracts.Monitoring;
using Overseer.Core.Templates;
using Overseer.Storage;

namespace Overseer.Core.Monitoring;

/// <summary>
/// Starts a rule's runbook for an alert: its template as a session in the rule's project, under
/// the runbook's gate policy (read-only unless it says standard), at most once per the rule's
/// <c>every</c>. The template's parameters named <c>alert</c>, <c>message</c>, <c>check</c>,
/// <c>rule</c>, <c>value</c>, <c>severity</c> or <c>alertId</c> are filled from the alert; the
/// runbook's own parameters come after.
/// </summary>
public sealed class RunbookStarter(TemplateCatalog templates, IMonitoringStore store, TimeProvider time)
{
    /// <summary>The session started, or why none was; null when the rule has no runbook.</summary>
    public async Task<(string? SessionId, string? Error)?> StartAsync(RuleSpec rule, string alertId, CheckEntry check, CheckResult result, string message, CancellationToken cancellationToken)
    {
        if (rule.Definition.Runbook is not { } runbook)
            return null;
        var every = RuleValidation.RunbookEvery(runbook);
        if (await store.LastRunbookAsync(rule.Id, cancellationToken) is { } last && time.GetUtcNow() < last + every)
            return (null, $"Not started: the rule's last runbook session started at {last:u}, and it runs at most once per {Durations.Format(every)}.");
        var template = await templates.FindAsync(runbook.Template!, cancellationToken);
        if (template is null)
            return (null, $"Not started: no template has id '{runbook.Template}'.");
        var alert = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["alert"] = message,
            ["message"] = result.Message,
            ["check"] = check.Name,
            ["rule"] = rule.Name,
            ["value"] = result.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["severity"] = rule.Severity,
            ["alertId"] = alertId,
        };
        var parameters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var name in DeclaredParameters(template.ParametersSchema))
        {
            if (alert.TryGetValue(name, out var value) && value is not null)
                parameters[name] = JsonSerializer.SerializeToElement(value, MonitoringJson.Default.String);
        }
        foreach (var (name, value) in runbook.Parameters ?? [])
            parameters[name] = JsonSerializer.SerializeToElement(value, MonitoringJson.Default.String);
        JsonElement? script = runbook.Script is { } text ? JsonDocument.Parse(text).RootElement.Clone() : null;
        var (created, failure) = await templates.RunAsync(template.Id, new RunTemplateRequest(runbook.Project, parameters, runbook.Runtime, Script: script),
            new ActedBy("runbook:" + rule.Id, null), cancellationToken, new SessionLinks(GatePolicy: runbook.Policy ?? Safety.SessionPolicyGate.ReadOnly));
        if (failure is not null)
            return (null, "Not started: " + failure.Message);
        return created!.SessionId is { } sessionId ? (sessionId, null) : (null, "Not started: " + created.Error);
    }

    private static IEnumerable<string> DeclaredParameters(JsonElement? schema) =>
        schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(p => p.Name).ToList()
            : [];
}
