using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts.Monitoring;

namespace Overseer.Cli.Client;

/// <summary><c>overseer checks [add|rm|run]</c>: what Overseer watches on the machines, and how each check stands.</summary>
public static class ChecksCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var checks = new Command("checks", "Health checks (host, http, tcp, process, systemd, command) and their state; with no subcommand, lists them.") { json };
        ClientContext.SetAction(checks, async (parse, context, cancellationToken) =>
        {
            var list = (await context.Client.GetAsync("api/checks", MonitoringJson.Default.ListResponseCheckDto, cancellationToken)).Items;
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, Indented.IReadOnlyListCheckDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "KIND", "TIER", "TARGET", "STATUS", "VALUE", "CHECKED").Flexible("TARGET");
            var now = DateTimeOffset.UtcNow;
            foreach (var c in list)
            {
                var d = c.Definition;
                table.Add(d.Id!, d.Kind!, d.Tier!, Target(d), c.Status, Value(c.Value, c.Unit), c.CheckedAt is { } at ? Format.Age(at, now) + " ago" : "-");
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            if (list.Count == 0)
                await context.Error.WriteLineAsync("No checks: add one with 'overseer checks add', or under Monitoring:Checks in the settings file.");
            return list.Any(c => c.Status == "failing") ? ExitCodes.Error : ExitCodes.Ok;
        });

        var name = new Argument<string>("name") { Description = "The check's name (its id is made from it)" };
        var kind = new Option<string>("--kind", "-k") { Description = "host, http, tcp, process, systemd or command", Required = true };
        var target = new Option<string>("--target", "-t") { Description = "URL (http), host:port (tcp), process name or pid file, unit (systemd), mount or interface (host)" };
        var metric = new Option<string>("--metric", "-m") { Description = "host: cpu, memory, swap, disk, load or network; http: latency (default) or cert_days" };
        var tier = new Option<string>("--tier") { Description = "critical (12 s), important (32 s, default), routine (5 min) or background (30 min)" };
        var contains = new Option<string>("--contains") { Description = "Text the body (http) or output (command) must contain" };
        var status = new Option<int?>("--expect-status") { Description = "The HTTP status (default any 2xx/3xx) or exit status (default 0) that passes" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds before a run counts as failed (default the smaller of 10 and the interval)" };
        var command = new Argument<string[]>("command") { Description = "For a command check: the argv to run after --, never a shell string", Arity = ArgumentArity.ZeroOrMore };
        var add = new Command("add", "Add a check (admins).") { name, kind, target, metric, tier, contains, status, timeout, command };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var argv = parse.GetValue(command) ?? [];
            var definition = new CheckDefinition
            {
                Name = parse.GetValue(name), Kind = parse.GetValue(kind), Target = parse.GetValue(target), Metric = parse.GetValue(metric), Tier = parse.GetValue(tier),
                Contains = parse.GetValue(contains), ExpectStatus = parse.GetValue(status), TimeoutSeconds = parse.GetValue(timeout),
                Command = argv.Length > 0 ? [.. argv] : null,
            };
            var created = await context.Client.PostAsync("api/checks", definition, MonitoringJson.Default.CheckDefinition, MonitoringJson.Default.CheckDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Definition.Id);
            await context.Error.WriteLineAsync($"Runs every {created.IntervalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s ({created.Definition.Tier}).");
            return ExitCodes.Ok;
        });

        var id = new Argument<string>("id") { Description = "The check's id, as 'overseer checks' shows it" };
        var rm = new Command("rm", "Remove a check made through the API (admins).") { id };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            await context.Client.DeleteAsync($"api/checks/{Uri.EscapeDataString(parse.GetValue(id)!)}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {parse.GetValue(id)}");
            return ExitCodes.Ok;
        });

        var run = new Command("run", "Run a check now and print its result.") { id };
        ClientContext.SetAction(run, async (parse, context, cancellationToken) =>
        {
            var result = await context.Client.PostAsync($"api/checks/{Uri.EscapeDataString(parse.GetValue(id)!)}/run", MonitoringJson.Default.CheckDto, cancellationToken);
            await context.Out.WriteLineAsync($"{result.Status} {Value(result.Value, result.Unit)} {result.Message}");
            return result.Status == "ok" ? ExitCodes.Ok : ExitCodes.Error;
        });

        checks.Subcommands.Add(add);
        checks.Subcommands.Add(rm);
        checks.Subcommands.Add(run);
        return checks;
    }

    internal static MonitoringJson Indented { get; } = new(new JsonSerializerOptions(MonitoringJson.Default.Options) { WriteIndented = true });

    private static string Target(CheckDefinition d) =>
        d.Kind == "host" ? d.Metric + (d.Target is null ? "" : " " + d.Target)
        : d.Kind == "command" ? string.Join(' ', d.Command ?? [])
        : d.Target ?? "";

    internal static string Value(double? value, string? unit) =>
        value is not { } v ? "-" : v.ToString("0.##", CultureInfo.InvariantCulture) + (unit is null ? "" : unit == "%" ? "%" : " " + unit);
}
