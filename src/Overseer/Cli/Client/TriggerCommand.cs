using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts.Api;
using Overseer.Triggers;

namespace Overseer.Cli.Client;

/// <summary><c>overseer trigger ls|show|add|rm|deliveries</c>: webhooks from GitHub, GitLab or any signing sender that start templates.</summary>
public static class TriggerCommand
{
    private static readonly TriggerJson Indented = new(new JsonSerializerOptions(TriggerJson.Default.Options) { WriteIndented = true });

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var triggerArg = new Argument<string>("trigger") { Description = "Trigger id, unique id prefix, or name" };

        var ls = new Command("ls", "List triggers.") { json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var list = await context.Client.GetAsync("api/triggers", TriggerJson.Default.ListResponseTriggerDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, Indented.ListResponseTriggerDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "PROVIDER", "PROJECT", "EVENTS", "STATE").Flexible("NAME", "EVENTS");
            foreach (var t in list.Items)
                table.Add(t.Id, t.Name, t.Provider, t.ProjectId, string.Join(", ", t.Rules.Select(r => r.Event)), t.Enabled ? "on" : "off");
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var show = new Command("show", "Show a trigger: its hook URL, rules and post-back settings.") { triggerArg, json };
        ClientContext.SetAction(show, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Trigger, parse.GetValue(triggerArg)!, cancellationToken);
            var t = await context.Client.GetAsync($"api/triggers/{id}", TriggerJson.Default.TriggerDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(t, Indented.TriggerDto));
                return ExitCodes.Ok;
            }
            var output = context.Out;
            await output.WriteLineAsync($"{context.Ansi.Bold(t.Name)}  ({t.Id}, {t.Provider}, {(t.Enabled ? "on" : "off")})");
            await output.WriteLineAsync($"Hook URL: {t.HookUrl}");
            await output.WriteLineAsync($"Project {t.ProjectId}; sessions start as {t.Owner.Name}; secret in the vault as {t.SecretName}");
            await output.WriteLineAsync(t.Postback.Comment == true ? $"Posts results back through {t.Postback.ApiBaseUrl} with the token in {t.Postback.TokenSecret}" : "Posts nothing back");
            await output.WriteLineAsync("Rules (the first that matches starts its template):");
            for (var i = 0; i < t.Rules.Count; i++)
                await output.WriteLineAsync($"  {i}. {Describe(t.Rules[i])}");
            return ExitCodes.Ok;
        });

        var rm = new Command("rm", "Remove a trigger and its deliveries (its sessions stay).") { triggerArg };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Trigger, parse.GetValue(triggerArg)!, cancellationToken);
            await context.Client.DeleteAsync($"api/triggers/{id}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {id}");
            return ExitCodes.Ok;
        });

        var limit = new Option<int>("--limit", "-n") { Description = "How many, newest first (1-200)", DefaultValueFactory = _ => 20 };
        var deliveries = new Command("deliveries", "What a trigger received and what became of it: the rule, the session, the comment back.") { triggerArg, limit, json };
        ClientContext.SetAction(deliveries, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Trigger, parse.GetValue(triggerArg)!, cancellationToken);
            var list = await context.Client.GetAsync($"api/triggers/{id}/deliveries?limit={parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)}",
                TriggerJson.Default.ListResponseDeliveryDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, Indented.ListResponseDeliveryDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("RECEIVED", "EVENT", "OUTCOME", "SESSION", "POSTED BACK", "DETAIL").Flexible("DETAIL");
            foreach (var d in list.Items)
            {
                var posted = d.Postback.Status + (d.Postback.Attempts > 1 ? $" ({d.Postback.Attempts} attempts)" : "");
                table.Add(Format.Time(d.ReceivedAt), d.Event, d.Outcome + (d.Rule is { } rule ? $" (rule {rule})" : ""), d.SessionId ?? "-", posted,
                    d.Detail ?? d.Postback.Error ?? d.Postback.Url ?? "");
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        return new Command("trigger", "Webhooks from GitHub, GitLab or any signing sender that start templates and post the result back.")
        {
            ls, show, CreateAdd(), rm, deliveries,
        };
    }

    private static Command CreateAdd()
    {
        var name = new Option<string>("--name") { Description = "The trigger's name", Required = true };
        var provider = new Option<string>("--provider") { Description = "github, gitlab or generic", Required = true };
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory" };
        var eventName = new Option<string>("--event") { Description = $"The event the rule takes: {string.Join(", ", TriggerProviders.Events)}; for generic, * or the sender's event name" };
        var template = new Option<string>("--template") { Description = "The template the rule starts (id, unique id prefix, or name)" };
        var parameters = new Option<string[]>("--param", "-P") { Description = "A template parameter as name=expression (repeatable): $.issue.title, /issue/body, event.title, event.url, ..." };
        var label = new Option<string>("--label") { Description = "For a label event: only this label" };
        var command = new Option<string>("--command") { Description = "For a comment event: the text a comment must start with, such as /overseer fix" };
        var runtime = new Option<string>("--runtime") { Description = "Override the template's runtime" };
        var worktree = new Option<bool>("--worktree") { Description = "Its sessions work in a git worktree of their own (the comment then names the branch)" };
        var rulesFile = new Option<FileInfo>("--rules-file") { Description = "The rules as a JSON array (instead of --event, --template and --param)" };
        var tokenSecret = new Option<string>("--token-secret") { Description = "The vault secret holding the provider's API token, for the comment back" };
        var apiUrl = new Option<string>("--api-url") { Description = "The provider's API (a self-hosted GitHub or GitLab). Default: the public one" };
        var noComment = new Option<bool>("--no-comment") { Description = "Post nothing back" };
        var add = new Command("add", "Add a trigger; prints its hook URL and its secret (shown once).")
        {
            name, provider, project, eventName, template, parameters, label, command, runtime, worktree, rulesFile, tokenSecret, apiUrl, noComment,
        };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            List<TriggerRuleDto> rules;
            if (parse.GetValue(rulesFile) is { } file)
            {
                try
                {
                    rules = JsonSerializer.Deserialize(File.ReadAllText(file.FullName), TriggerJson.Default.ListTriggerRuleDto) ?? [];
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
                {
                    throw new CliException(ExitCodes.Usage, $"cannot read the rules {file.FullName}: {ex.Message}");
                }
            }
            else
            {
                if (parse.GetValue(eventName) is not { } ev || parse.GetValue(template) is not { } typed)
                    throw new CliException(ExitCodes.Usage, "give the rule with --event and --template (and --param), or --rules-file");
                var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in parse.GetValue(parameters) ?? [])
                {
                    var at = pair.IndexOf('=', StringComparison.Ordinal);
                    if (at <= 0)
                        throw new CliException(ExitCodes.Usage, $"--param '{pair}' is not name=expression");
                    mapped[pair[..at]] = pair[(at + 1)..];
                }
                var templateId = await context.ResolveAsync(IdResolver.Template, typed, cancellationToken);
                rules = [new TriggerRuleDto(ev, templateId, mapped, parse.GetValue(label), parse.GetValue(command), parse.GetValue(runtime), parse.GetValue(worktree) ? "worktree" : null)];
            }
            var projectId = await ProjectsCommand.FindOrAddAsync(context, parse.GetValue(project), cancellationToken);
            var postback = parse.GetValue(noComment) ? new TriggerPostbackDto(false) : new TriggerPostbackDto(null, parse.GetValue(apiUrl), parse.GetValue(tokenSecret));
            var request = new CreateTriggerRequest(parse.GetValue(name), parse.GetValue(provider), projectId, rules, postback);
            var created = await context.Client.PostAsync("api/triggers", request, TriggerJson.Default.CreateTriggerRequest, TriggerJson.Default.CreatedTriggerDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Trigger.Id);
            await context.Out.WriteLineAsync($"Hook URL: {created.Trigger.HookUrl}");
            await context.Out.WriteLineAsync($"Secret:   {created.Secret}");
            await context.Error.WriteLineAsync("Put both in the provider's webhook settings now: the secret is not shown again (docs/triggers.md).");
            return ExitCodes.Ok;
        });
        return add;
    }

    private static string Describe(TriggerRuleDto r)
    {
        var when = r.Event + (r.Label is { } l ? $" with label '{l}'" : "") + (r.Command is { } c ? $" starting with '{c}'" : "");
        var with = r.Parameters is { Count: > 0 } p ? " with " + string.Join(", ", p.Select(x => $"{x.Key} = {x.Value}")) : "";
        return $"{when} → template {r.TemplateId}{with}";
    }
}
