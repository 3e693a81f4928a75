using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer schedule ls|show|add|rm|enable|disable|run|runs|preview</c>: templates run on a cron.</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var scheduleArg = new Argument<string>("schedule") { Description = "Schedule id, unique id prefix, or name" };

        var ls = new Command("ls", "List schedules: when each runs next and how its last run went.") { json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var list = await context.Client.GetAsync("api/schedules", OverseerJson.Default.ListResponseScheduleDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, ClientContext.IndentedJson.ListResponseScheduleDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("ID", "NAME", "CRON", "ZONE", "NEXT", "LAST RUN").Flexible("LAST RUN", "ZONE", "NAME");
            foreach (var s in list.Items)
            {
                table.Add(Format.ShortId(s.Id), s.Name, s.Cron, s.TimeZone, s.NextRunAt is { } next ? Format.Time(next) : "disabled",
                    s.LastRun is { } last ? $"{Format.Time(last.Slot)} {RunStatus(last)}" : "-");
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var show = new Command("show", "Show a schedule: its template, parameters, policies and next runs.") { scheduleArg, json };
        ClientContext.SetAction(show, async (parse, context, cancellationToken) =>
        {
            var schedule = await GetAsync(context, parse.GetValue(scheduleArg)!, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(schedule, ClientContext.IndentedJson.ScheduleDto));
                return ExitCodes.Ok;
            }
            var preview = await PreviewAsync(context, schedule.Cron, schedule.TimeZone, cancellationToken);
            await WriteAsync(context, schedule, preview);
            return ExitCodes.Ok;
        });

        var rm = new Command("rm", "Remove a schedule and its run history (its sessions stay).") { scheduleArg };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Schedule, parse.GetValue(scheduleArg)!, cancellationToken);
            await context.Client.DeleteAsync($"api/schedules/{id}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {id}");
            return ExitCodes.Ok;
        });

        var attach = new Option<bool>("--attach", "-a") { Description = "Follow the session until its turn ends" };
        var run = new Command("run", "Run a schedule now (whatever its overlap policy), as you.") { scheduleArg, attach };
        ClientContext.SetAction(run, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Schedule, parse.GetValue(scheduleArg)!, cancellationToken);
            var started = await context.Client.PostAsync($"api/schedules/{id}/run", OverseerJson.Default.ScheduleRunDto, cancellationToken);
            await context.Out.WriteLineAsync(started.SessionId ?? started.Id);
            if (!parse.GetValue(attach) || started.SessionId is null)
                return ExitCodes.Ok;
            return await new Attacher(context.Client, context.Out, context.Error).RunAsync(started.SessionId, new AttachOptions(ExitOnIdle: true), cancellationToken);
        });

        var runs = new Command("runs", "A schedule's runs, newest first: each slot, what came of it, its session, attempts and cost.") { scheduleArg, json };
        ClientContext.SetAction(runs, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Schedule, parse.GetValue(scheduleArg)!, cancellationToken);
            var list = await context.Client.ListAllAsync($"api/schedules/{id}/runs", OverseerJson.Default.ListResponseScheduleRunDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, ClientContext.IndentedJson.IReadOnlyListScheduleRunDto));
                return ExitCodes.Ok;
            }
            var table = new TextTable("SLOT", "TRIGGER", "STATUS", "SESSION", "ATTEMPTS", "COST", "REASON").Flexible("REASON");
            foreach (var r in list)
            {
                table.Add(Format.Time(r.Slot), r.Trigger, RunStatus(r), r.LatestSessionId ?? r.SessionId ?? "-",
                    r.Attempts.ToString(CultureInfo.InvariantCulture), Units.Cost(r.CostUsd), r.Reason ?? "");
            }
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var cron = new Option<string>("--cron") { Description = "5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first", Required = true };
        var zone = new Option<string>("--tz") { Description = "An IANA time zone such as Europe/Berlin. Default: UTC" };
        var preview = new Command("preview", "Show the next times a cron expression fires in a time zone.") { cron, zone };
        ClientContext.SetAction(preview, async (parse, context, cancellationToken) =>
        {
            var next = await PreviewAsync(context, parse.GetValue(cron)!, parse.GetValue(zone) ?? "UTC", cancellationToken);
            foreach (var local in next.Local)
                await context.Out.WriteLineAsync(local);
            return ExitCodes.Ok;
        });

        return new Command("schedule", "Run templates on a schedule (cron, in a time zone).")
        {
            ls, show, CreateAdd(cron, zone), rm, Toggle("enable", "Enable a schedule (it counts its slots from now)."),
            Toggle("disable", "Disable a schedule."), run, runs, preview,
        };
    }

    private static Command CreateAdd(Option<string> cron, Option<string> zone)
    {
        var name = new Option<string>("--name") { Description = "The schedule's name (unique in its project)", Required = true };
        var template = new Option<string>("--template", "-t") { Description = "Template id, unique id prefix, or name", Required = true };
        var parameters = new Option<string[]>("--param", "-P") { Description = "A parameter as name=value (repeatable), fixed for every run", AllowMultipleArgumentsPerToken = false };
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory" };
        var missed = new Option<string>("--missed") { Description = "Slots missed while Overseer was down: run_once (default, one run for the latest) or skip" };
        var overlap = new Option<string>("--overlap") { Description = "A slot while the previous run still works: skip (default), queue or allow" };
        var disabled = new Option<bool>("--disabled") { Description = "Save it disabled" };
        var runtime = new Option<string>("--runtime") { Description = "Override the template's runtime" };
        var model = new Option<string>("--model") { Description = "Override the template's model" };
        var worktree = new Option<bool>("--worktree") { Description = "Each run works in a git worktree of its own" };
        var script = new Option<FileInfo>("--script") { Description = "A JSON script for the scripted runtime" };
        var add = new Command("add", "Add a schedule that runs a template with fixed parameters.") { name, template, parameters, cron, zone, project, missed, overlap, disabled, runtime, model, worktree, script };
        var retry = new RetryOptions();
        retry.AddTo(add);
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var found = await TemplateCommand.GetAsync(context, parse.GetValue(template)!, cancellationToken);
            var values = TemplateCommand.ParseParameters(found, parse.GetValue(parameters) ?? []);
            var projectId = await ProjectsCommand.FindOrAddAsync(context, parse.GetValue(project), cancellationToken);
            JsonElement? scriptJson = parse.GetValue(script) is { } file ? RunCommand.ReadScript(file) : null;
            var request = new SaveScheduleRequest(parse.GetValue(name), projectId, found.Id, values, parse.GetValue(cron), parse.GetValue(zone) ?? "UTC",
                !parse.GetValue(disabled), parse.GetValue(missed), parse.GetValue(overlap), retry.From(parse), parse.GetValue(runtime), parse.GetValue(model),
                parse.GetValue(worktree) ? "worktree" : null, Script: scriptJson);
            var created = await context.Client.PostAsync("api/schedules", request, OverseerJson.Default.SaveScheduleRequest, OverseerJson.Default.ScheduleDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Id);
            return ExitCodes.Ok;
        });
        return add;
    }

    private static Command Toggle(string action, string description)
    {
        var scheduleArg = new Argument<string>("schedule") { Description = "Schedule id, unique id prefix, or name" };
        var command = new Command(action, description) { scheduleArg };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Schedule, parse.GetValue(scheduleArg)!, cancellationToken);
            var schedule = await context.Client.PostAsync($"api/schedules/{id}/{action}", OverseerJson.Default.ScheduleDto, cancellationToken);
            await context.Out.WriteLineAsync($"{schedule.Id} {(schedule.Enabled ? "enabled, next run " + Format.Time(schedule.NextRunAt!.Value) : "disabled")}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string RunStatus(ScheduleRunDto run) => run.SessionStatus is { } status
        ? $"{run.Status} ({Contracts.Events.SessionStatusNames.ToWire(status)}{(run.Attempts > 1 ? $", attempt {run.Attempts}" : "")})"
        : run.Status;

    private static async Task<ScheduleDto> GetAsync(ClientContext context, string typed, CancellationToken cancellationToken)
    {
        var id = await context.ResolveAsync(IdResolver.Schedule, typed, cancellationToken);
        return await context.Client.GetAsync($"api/schedules/{id}", OverseerJson.Default.ScheduleDto, cancellationToken);
    }

    private static Task<CronPreviewDto> PreviewAsync(ClientContext context, string cron, string zone, CancellationToken cancellationToken) =>
        context.Client.GetAsync($"api/schedules/preview?cron={Uri.EscapeDataString(cron)}&timeZone={Uri.EscapeDataString(zone)}", OverseerJson.Default.CronPreviewDto, cancellationToken);

    private static async Task WriteAsync(ClientContext context, ScheduleDto s, CronPreviewDto preview)
    {
        var output = context.Out;
        void Field(string label, string? value) => output.WriteLine($"{context.Ansi.Bold((label + ":").PadRight(11))} {value ?? "-"}");
        Field("schedule", $"{s.Name} ({s.Id}){(s.Enabled ? "" : " — disabled")}");
        Field("template", s.TemplateId);
        Field("project", s.ProjectId);
        Field("cron", $"{s.Cron} in {s.TimeZone}");
        Field("parameters", s.Parameters.Count == 0 ? "-" : string.Join(", ", s.Parameters.Select(p => $"{p.Key}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}")));
        Field("policies", $"missed {s.MissedPolicy}, overlap {s.OverlapPolicy}");
        if (s.Retry is { } r)
            Field("retry", $"up to {r.MaxAttempts} attempts, {r.InitialDelaySeconds}s × {r.Multiplier.ToString(CultureInfo.InvariantCulture)} up to {r.MaxDelaySeconds}s");
        Field("by", s.CreatedBy.Name);
        Field("last run", s.LastRun is { } last ? $"{Format.Time(last.Slot)} {RunStatus(last)} {last.LatestSessionId ?? last.Reason}" : null);
        if (s.Enabled)
        {
            await output.WriteLineAsync(context.Ansi.Bold("next runs:"));
            foreach (var local in preview.Local)
                await output.WriteLineAsync("  " + local);
        }
    }
}
