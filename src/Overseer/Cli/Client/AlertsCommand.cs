using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts.Monitoring;

namespace Overseer.Cli.Client;

/// <summary><c>overseer alerts [ack|silence|rules|rule-add|rule-rm]</c>: what monitoring raised, and the rules that raise it.</summary>
public static class AlertsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var all = new Option<bool>("--all", "-a") { Description = "Resolved alerts too (newest first)" };
        var alerts = new Command("alerts", "Alerts raised by monitoring's rules; with no subcommand, lists the firing ones.") { all, json };
        ClientContext.SetAction(alerts, async (parse, context, cancellationToken) =>
        {
            var list = (await context.Client.GetAsync("api/alerts?status=" + (parse.GetValue(all) ? "all" : "firing"), MonitoringJson.Default.ListResponseAlertDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, ChecksCommand.Indented.IReadOnlyListAlertDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "STATUS", "SEVERITY", "RULE", "MESSAGE", "RAISED", "BY A PERSON", "RUNBOOK").Flexible("MESSAGE");
            var now = DateTimeOffset.UtcNow;
            foreach (var a in list)
            {
                var person = a.SilencedUntil is { } until && until > now ? $"silenced by {a.SilencedBy} until {Format.Time(until)}"
                    : a.AcknowledgedBy is { } by ? "acked by " + by : "-";
                table.Add(a.Id, a.Status + (a.Flapping ? " (flapping)" : ""), a.Severity, a.RuleName, a.Message, Format.Age(a.RaisedAt, now) + " ago", person,
                    a.RunbookSessionId ?? (a.RunbookError is null ? "-" : "not started"));
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            if (list.Count == 0)
                await context.Error.WriteLineAsync(parse.GetValue(all) ? "No alerts yet." : "No alert is firing.");
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The alert's id (al_...), as 'overseer alerts' shows it" };
        var ack = new Command("ack", "Acknowledge an alert: you are on it.") { id };
        ClientContext.SetAction(ack, async (parse, context, cancellationToken) =>
        {
            var alert = await context.Client.PostAsync($"api/alerts/{Uri.EscapeDataString(parse.GetValue(id)!)}/ack", MonitoringJson.Default.AlertDto, cancellationToken);
            await context.Out.WriteLineAsync($"{alert.Id} acknowledged by {alert.AcknowledgedBy}");
            return ExitCodes.Ok;
        });

        var duration = new Option<string>("--for") { Description = "How long: 30m, 2h, 1d (at most 30 days)", Required = true };
        var silence = new Command("silence", "Silence an alert's rule: no notifications until the time is up.") { id, duration };
        ClientContext.SetAction(silence, async (parse, context, cancellationToken) =>
        {
            var alert = await context.Client.PostAsync($"api/alerts/{Uri.EscapeDataString(parse.GetValue(id)!)}/silence", new SilenceAlertRequest(parse.GetValue(duration)),
                MonitoringJson.Default.SilenceAlertRequest, MonitoringJson.Default.AlertDto, cancellationToken);
            await context.Out.WriteLineAsync($"{alert.Id} silenced until {Format.Time(alert.SilencedUntil!.Value)}");
            return ExitCodes.Ok;
        });

        var rules = new Command("rules", "List the alert rules.") { json };
        ClientContext.SetAction(rules, async (parse, context, cancellationToken) =>
        {
            var list = (await context.Client.GetAsync("api/alert-rules", MonitoringJson.Default.ListResponseAlertRuleDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, ChecksCommand.Indented.IReadOnlyListAlertRuleDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "CHECK", "WHEN", "CLEAR", "SEVERITY", "RUNBOOK", "FROM").Flexible("WHEN");
            foreach (var r in list)
            {
                var d = r.Definition;
                table.Add(d.Id!, d.Check!, d.When!, d.Clear ?? "-", d.Severity!, d.Runbook is { } rb ? $"{rb.Template} ({rb.Policy})" : "-", r.Source);
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var name = new Argument<string>("name") { Description = "The rule's name (its id is made from it)" };
        var check = new Option<string>("--check", "-c") { Description = "The check it watches", Required = true };
        var when = new Option<string>("--when", "-w") { Description = "\"cpu > 80% for 2m\" or \"down for 30s\"", Required = true };
        var clear = new Option<string>("--clear") { Description = "Hysteresis: resolve only past this, e.g. \"< 70\"" };
        var severity = new Option<string>("--severity") { Description = "warning (default) or critical" };
        var template = new Option<string>("--runbook-template") { Description = "A template to run as a session when the alert is raised" };
        var project = new Option<string>("--runbook-project") { Description = "The project (directory, id or name) the runbook runs in" };
        var policy = new Option<string>("--runbook-policy") { Description = "read-only (default: only GREEN runs unattended) or standard" };
        var ruleAdd = new Command("rule-add", "Add an alert rule (admins).") { name, check, when, clear, severity, template, project, policy };
        ClientContext.SetAction(ruleAdd, async (parse, context, cancellationToken) =>
        {
            RunbookDefinition? runbook = null;
            if (parse.GetValue(template) is { } t)
            {
                var p = parse.GetValue(project) ?? throw new CliException(ExitCodes.Usage, "a runbook needs --runbook-project");
                var projectId = await ProjectsCommand.FindAsync(context, p, cancellationToken) ?? throw new CliException(ExitCodes.NotFound, $"no project contains {Path.GetFullPath(p)}");
                runbook = new RunbookDefinition { Template = await context.ResolveAsync(IdResolver.Template, t, cancellationToken), Project = projectId, Policy = parse.GetValue(policy) };
            }
            var rule = await context.Client.PostAsync("api/alert-rules", new AlertRuleDefinition
            {
                Name = parse.GetValue(name), Check = parse.GetValue(check), When = parse.GetValue(when), Clear = parse.GetValue(clear), Severity = parse.GetValue(severity), Runbook = runbook,
            }, MonitoringJson.Default.AlertRuleDefinition, MonitoringJson.Default.AlertRuleDto, cancellationToken);
            await context.Out.WriteLineAsync(rule.Definition.Id);
            return ExitCodes.Ok;
        });

        var ruleId = new Argument<string>("id") { Description = "The rule's id" };
        var ruleRm = new Command("rule-rm", "Remove an alert rule made through the API; its firing alert resolves (admins).") { ruleId };
        ClientContext.SetAction(ruleRm, async (parse, context, cancellationToken) =>
        {
            await context.Client.DeleteAsync($"api/alert-rules/{Uri.EscapeDataString(parse.GetValue(ruleId)!)}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {parse.GetValue(ruleId)}");
            return ExitCodes.Ok;
        });

        alerts.Subcommands.Add(ack);
        alerts.Subcommands.Add(silence);
        alerts.Subcommands.Add(rules);
        alerts.Subcommands.Add(ruleAdd);
        alerts.Subcommands.Add(ruleRm);
        return alerts;
    }
}
