using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer budget ls|set|rm|approve-overrun</c>: caps on what sessions may spend, and <c>overseer
/// predict</c>: what a new session will likely cost.
/// </summary>
public static class BudgetCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var projectFilter = new Option<string>("--project", "-p") { Description = "Only the budgets of this project (directory, id or name) and its sessions" };
        var scopeFilter = new Option<string>("--scope") { Description = "Only budgets of this scope: global, project, user or session (session lists ended sessions' too)" };
        var ls = new Command("ls", "List budgets with what their period has spent.") { projectFilter, scopeFilter, json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var query = new List<string>();
            if (parse.GetValue(projectFilter) is { } project)
                query.Add("projectId=" + Uri.EscapeDataString(await ProjectsCommand.FindAsync(context, project, cancellationToken)
                    ?? throw new CliException(ExitCodes.NotFound, $"no project contains {Path.GetFullPath(project)}")));
            if (parse.GetValue(scopeFilter) is { } scope)
                query.Add("scope=" + Uri.EscapeDataString(scope));
            var budgets = (await context.Client.GetAsync("api/budgets" + (query.Count > 0 ? "?" + string.Join('&', query) : ""),
                OverseerJson.Default.ListResponseBudgetDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(budgets, ClientContext.IndentedJson.IReadOnlyListBudgetDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "FOR", "PERIOD", "LIMIT", "SPENT", "%", "STATE").Flexible("FOR");
            foreach (var b in budgets)
            {
                table.Add(b.Id, Target(b), b.PeriodStart is { } start ? $"{b.Period} {start.ToString(b.Period == BudgetPeriods.Month ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture)}" : "session",
                    Money(b.LimitUsd) + (b.LimitTokens is { } t ? $" / {Units.Tokens(t)} tok" : ""),
                    Money(b.SpentUsd) + (b.LimitTokens is not null ? $" / {Units.Tokens(b.SpentTokens)} tok" : ""),
                    b.Percent.ToString(CultureInfo.InvariantCulture), b.State);
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            if (budgets.Count == 0)
                await context.Error.WriteLineAsync("No budgets: sessions may spend without limit.");
            return ExitCodes.Ok;
        });

        var scope = new Argument<string>("scope") { Description = "global, project, user or session" };
        scope.AcceptOnlyFromAmong(BudgetScopes.Global, BudgetScopes.Project, BudgetScopes.User, BudgetScopes.Session);
        var target = new Argument<string?>("target") { Description = "The project (directory, id or name), user (id or name) or session (id or prefix); none for global", Arity = ArgumentArity.ZeroOrOne };
        var usd = new Option<decimal>("--usd") { Description = "The limit in US dollars", Required = true };
        var period = new Option<string>("--period") { Description = "day or month (UTC) for global, project and user budgets. Default: day" };
        var tokens = new Option<long?>("--tokens") { Description = "Also a limit in tokens (input plus output)" };
        var set = new Command("set", "Set a budget (replacing the one with the same scope, target and period).") { scope, target, usd, period, tokens };
        ClientContext.SetAction(set, async (parse, context, cancellationToken) =>
        {
            var chosen = parse.GetValue(scope)!;
            var given = parse.GetValue(target);
            var resolved = chosen switch
            {
                BudgetScopes.Global => given is null ? null : throw new CliException(ExitCodes.Usage, "a global budget has no target"),
                BudgetScopes.Project => await ProjectsCommand.FindAsync(context, Required(given, chosen), cancellationToken)
                    ?? throw new CliException(ExitCodes.NotFound, $"no project contains {Path.GetFullPath(given!)}"),
                BudgetScopes.Session => await context.ResolveAsync(IdResolver.Session, Required(given, chosen), cancellationToken),
                _ => Required(given, chosen),
            };
            var request = new PutBudgetRequest(chosen, resolved, chosen == BudgetScopes.Session ? null : parse.GetValue(period) ?? BudgetPeriods.Day,
                parse.GetValue(usd), parse.GetValue(tokens));
            var budget = await context.Client.PutAsync("api/budgets", request, OverseerJson.Default.PutBudgetRequest, OverseerJson.Default.BudgetDto, cancellationToken);
            await context.Out.WriteLineAsync(budget.Id);
            await context.Error.WriteLineAsync($"{Target(budget)}: {Money(budget.LimitUsd)}{(budget.Period == BudgetPeriods.None ? "" : " a " + budget.Period)}, {Money(budget.SpentUsd)} spent ({budget.Percent}%).");
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The budget's id (b_...), as 'overseer budget ls' shows it" };
        var rm = new Command("rm", "Remove a budget.") { id };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var budgetId = parse.GetValue(id)!;
            await context.Client.DeleteAsync($"api/budgets/{Uri.EscapeDataString(budgetId)}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {budgetId}");
            return ExitCodes.Ok;
        });

        var session = new Argument<string>("session") { Description = "Session id or unique prefix" };
        var amount = new Option<decimal?>("--usd") { Description = "How much more it may spend, in US dollars. Default: one more turn" };
        var overrun = new Command("approve-overrun", "Let a session a spent budget stopped go on (it resumes if paused).") { session, amount };
        ClientContext.SetAction(overrun, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(session)!, cancellationToken);
            var updated = await context.Client.PostAsync($"api/sessions/{sessionId}/budget/approve-overrun", new ApproveOverrunRequest(parse.GetValue(amount)),
                OverseerJson.Default.ApproveOverrunRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync($"{updated.Id} {updated.Status.ToWire()}");
            return ExitCodes.Ok;
        });

        return new Command("budget", "Caps on what sessions may spend: per session, project, user or the whole server.") { ls, set, rm, overrun };
    }

    public static Command CreatePredict()
    {
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory" };
        var template = new Option<string>("--template", "-t") { Description = "A template (id, prefix or name): its runs come first" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var predict = new Command("predict", "Predict what a new session will cost, from the latest runs of its template or project.") { project, template, json };
        ClientContext.SetAction(predict, async (parse, context, cancellationToken) =>
        {
            var given = parse.GetValue(project) ?? Directory.GetCurrentDirectory();
            var projectId = await ProjectsCommand.FindAsync(context, given, cancellationToken)
                ?? throw new CliException(ExitCodes.NotFound, $"no project contains {Path.GetFullPath(given)}");
            var templateId = parse.GetValue(template) is { } t ? await context.ResolveAsync(IdResolver.Template, t, cancellationToken) : null;
            var prediction = await context.Client.GetAsync($"api/sessions/predict?projectId={Uri.EscapeDataString(projectId)}"
                + (templateId is null ? "" : "&templateId=" + Uri.EscapeDataString(templateId)), OverseerJson.Default.CostPredictionDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(prediction, ClientContext.IndentedJson.CostPredictionDto));
                return ExitCodes.Ok;
            }
            await context.Out.WriteLineAsync(prediction.Basis == "none"
                ? "No history yet: no finished run of this " + (templateId is null ? "project" : "template or project") + "."
                : $"median {Money(prediction.MedianUsd!.Value)}, 90th percentile {Money(prediction.P90Usd!.Value)} (last {prediction.Runs} run{(prediction.Runs == 1 ? "" : "s")} of this {prediction.Basis})");
            return ExitCodes.Ok;
        });
        return predict;
    }

    private static string Required(string? target, string scope) =>
        target ?? throw new CliException(ExitCodes.Usage, $"a {scope} budget needs its {scope}: overseer budget set {scope} <{scope}> --usd N");

    private static string Target(BudgetDto b) => b.Scope switch
    {
        BudgetScopes.Global => "server",
        BudgetScopes.Session => "session " + b.Target,
        _ => $"{b.Scope} {b.TargetName ?? b.Target}",
    };

    private static string Money(decimal usd) => "$" + usd.ToString(usd != 0 && usd < 0.01m ? "0.######" : "0.00", CultureInfo.InvariantCulture);
}
