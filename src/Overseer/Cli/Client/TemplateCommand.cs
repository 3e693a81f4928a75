using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer template ls|show|add|run|copy|rm</c>: reusable prompts with parameters.</summary>
public static class TemplateCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var templateArg = new Argument<string>("template") { Description = "Template id, unique id prefix, or name" };

        var category = new Option<string>("--category") { Description = "Only this category" };
        var ls = new Command("ls", "List templates.") { category, json };
        ClientContext.SetAction(ls, async (parse, context, cancellationToken) =>
        {
            var path = "api/templates" + (parse.GetValue(category) is { } c ? "?category=" + Uri.EscapeDataString(c) : "");
            var list = await context.Client.GetAsync(path, OverseerJson.Default.ListResponseTemplateDto, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(list, ClientContext.IndentedJson.ListResponseTemplateDto));
                return ExitCodes.Ok;
            }
            var templates = list.Items;
            var table = new TextTable("ID", "NAME", "CATEGORY", "USED", "DESCRIPTION").Flexible("DESCRIPTION", "NAME");
            foreach (var t in templates)
                table.Add(t.Id, t.Name, t.Category, t.UsageCount.ToString(CultureInfo.InvariantCulture), t.Description);
            table.WriteTo(context.Out, context.Ansi, ClientContext.Columns);
            return ExitCodes.Ok;
        });

        var show = new Command("show", "Show a template: its parameters, defaults and prompt.") { templateArg, json };
        ClientContext.SetAction(show, async (parse, context, cancellationToken) =>
        {
            var template = await GetAsync(context, parse.GetValue(templateArg)!, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(template, ClientContext.IndentedJson.TemplateDto));
                return ExitCodes.Ok;
            }
            await WriteAsync(context, template);
            return ExitCodes.Ok;
        });

        var name = new Option<string>("--name") { Description = "The template's name (unique)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "The prompt, with {{parameter}} placeholders" };
        var promptFile = new Option<FileInfo>("--prompt-file") { Description = "Read the prompt from this file" };
        var schemaFile = new Option<FileInfo>("--schema-file") { Description = "A JSON Schema for the parameters. Default: each placeholder is a required string" };
        var description = new Option<string>("--description") { Description = "What the template is for" };
        var runtime = new Option<string>("--runtime") { Description = "The runtime its sessions use by default" };
        var model = new Option<string>("--model") { Description = "The model its sessions use by default" };
        var worktree = new Option<bool>("--worktree") { Description = "Its sessions work in a git worktree of their own by default" };
        var budgetDefault = new Option<decimal?>("--budget") { Description = "Each run's session budget in US dollars" };
        var add = new Command("add", "Add a template.") { name, prompt, promptFile, schemaFile, description, category, runtime, model, worktree, budgetDefault };
        ClientContext.SetAction(add, async (parse, context, cancellationToken) =>
        {
            var text = parse.GetValue(promptFile) is { } file ? ReadText(file, "prompt") : parse.GetValue(prompt);
            if (string.IsNullOrWhiteSpace(text))
                throw new CliException(ExitCodes.Usage, "give the prompt with --prompt or --prompt-file");
            JsonElement? schema = parse.GetValue(schemaFile) is { } s ? RunCommand.ReadScript(s) : null;
            var request = new SaveTemplateRequest(parse.GetValue(name), parse.GetValue(description), parse.GetValue(category), text, schema,
                new TemplateDefaultsDto(parse.GetValue(runtime), parse.GetValue(model), parse.GetValue(worktree) ? "worktree" : null, BudgetUsd: parse.GetValue(budgetDefault)));
            var created = await context.Client.PostAsync("api/templates", request, OverseerJson.Default.SaveTemplateRequest, OverseerJson.Default.TemplateDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Id);
            return ExitCodes.Ok;
        });

        var copyName = new Option<string>("--name") { Description = "The copy's name. Default: the original's with \"(copy)\"" };
        var copy = new Command("copy", "Copy a template (a built-in one, to change it).") { templateArg, copyName };
        ClientContext.SetAction(copy, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Template, parse.GetValue(templateArg)!, cancellationToken);
            var created = await context.Client.PostAsync($"api/templates/{id}/copy", new CopyTemplateRequest(parse.GetValue(copyName)),
                OverseerJson.Default.CopyTemplateRequest, OverseerJson.Default.TemplateDto, cancellationToken);
            await context.Out.WriteLineAsync(created.Id);
            return ExitCodes.Ok;
        });

        var rm = new Command("rm", "Remove a template (sessions started from it stay).") { templateArg };
        ClientContext.SetAction(rm, async (parse, context, cancellationToken) =>
        {
            var id = await context.ResolveAsync(IdResolver.Template, parse.GetValue(templateArg)!, cancellationToken);
            await context.Client.DeleteAsync($"api/templates/{id}", cancellationToken);
            await context.Out.WriteLineAsync($"Removed {id}");
            return ExitCodes.Ok;
        });

        return new Command("template", "Reusable prompts with parameters.") { ls, show, add, CreateRun(templateArg), copy, rm };
    }

    private static Command CreateRun(Argument<string> templateArg)
    {
        var parameters = new Option<string[]>("--param", "-P") { Description = "A parameter as name=value (repeatable); numbers and true/false are typed as the template's schema says", AllowMultipleArgumentsPerToken = false };
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory" };
        var runtime = new Option<string>("--runtime") { Description = "Override the template's runtime" };
        var model = new Option<string>("--model") { Description = "Override the template's model" };
        var worktree = new Option<bool>("--worktree") { Description = "Work in a git worktree of its own" };
        var noWorktree = new Option<bool>("--no-worktree") { Description = "Work in the project directory even if the template says worktree" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the prompt the parameters make; start nothing" };
        var attach = new Option<bool>("--attach", "-a") { Description = "Follow the session until its turn ends" };
        var budget = new Option<decimal?>("--budget") { Description = "The session's budget in US dollars (overrides the template's)" };
        var run = new Command("run", "Start a session from a template.") { templateArg, parameters, project, runtime, model, worktree, noWorktree, dryRun, attach, budget };
        var retry = new RetryOptions();
        retry.AddTo(run);
        ClientContext.SetAction(run, async (parse, context, cancellationToken) =>
        {
            var template = await GetAsync(context, parse.GetValue(templateArg)!, cancellationToken);
            var values = ParseParameters(template, parse.GetValue(parameters) ?? []);
            if (parse.GetValue(dryRun))
            {
                var rendered = await context.Client.PostAsync($"api/templates/{template.Id}/render", new RenderTemplateRequest(values),
                    OverseerJson.Default.RenderTemplateRequest, OverseerJson.Default.RenderedTemplateDto, cancellationToken);
                await context.Out.WriteLineAsync(rendered.Prompt);
                return ExitCodes.Ok;
            }
            var projectId = await ProjectsCommand.FindOrAddAsync(context, parse.GetValue(project), cancellationToken);
            var isolation = parse.GetValue(worktree) ? "worktree" : parse.GetValue(noWorktree) ? "none" : null;
            var session = await context.Client.PostAsync($"api/templates/{template.Id}/run",
                new RunTemplateRequest(projectId, values, parse.GetValue(runtime), parse.GetValue(model), isolation, Retry: retry.From(parse), BudgetUsd: parse.GetValue(budget)),
                OverseerJson.Default.RunTemplateRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync(session.Id);
            if (!parse.GetValue(attach))
                return ExitCodes.Ok;
            return await new Attacher(context.Client, context.Out, context.Error).RunAsync(session.Id, new AttachOptions(ExitOnIdle: true), cancellationToken);
        });
        return run;
    }

    /// <summary>
    /// <c>name=value</c> pairs, each typed by the template's schema (a number, integer or boolean
    /// property gets that JSON type; anything else is a string). The server checks the rest.
    /// </summary>
    internal static Dictionary<string, JsonElement> ParseParameters(TemplateDto template, IEnumerable<string> pairs)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var properties = template.ParametersSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        foreach (var pair in pairs)
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
                throw new CliException(ExitCodes.Usage, $"--param '{pair}' is not name=value");
            var (name, text) = (pair[..at], pair[(at + 1)..]);
            var type = properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property) &&
                property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "string";
            values[name] = type is "integer" or "number" or "boolean" && TryJson(text, out var typed) ? typed : JsonSerializer.SerializeToElement(text, OverseerJson.Default.String);
        }
        return values;
    }

    private static bool TryJson(string text, out JsonElement value)
    {
        try
        {
            value = JsonDocument.Parse(text).RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            value = default;
            return false;
        }
    }

    internal static async Task<TemplateDto> GetAsync(ClientContext context, string typed, CancellationToken cancellationToken)
    {
        var id = await context.ResolveAsync(IdResolver.Template, typed, cancellationToken);
        return await context.Client.GetAsync($"api/templates/{id}", OverseerJson.Default.TemplateDto, cancellationToken);
    }

    private static async Task WriteAsync(ClientContext context, TemplateDto t)
    {
        var output = context.Out;
        await output.WriteLineAsync($"{context.Ansi.Bold(t.Name)}  ({t.Id}, {t.Category}{(t.BuiltIn ? ", built in" : "")}, used {t.UsageCount} times)");
        if (t.Description.Length > 0)
            await output.WriteLineAsync(t.Description);
        var required = t.ParametersSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
        if (t.ParametersSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync("Parameters:");
            foreach (var property in properties.EnumerateObject())
            {
                var v = property.Value;
                var type = v.ValueKind == JsonValueKind.Object && v.TryGetProperty("type", out var ty) ? ty.ToString() : "any";
                var about = v.ValueKind == JsonValueKind.Object && v.TryGetProperty("description", out var d) ? " — " + d.GetString() : "";
                var fallback = v.ValueKind == JsonValueKind.Object && v.TryGetProperty("default", out var def) ? $" (default {def.GetRawText()})" : "";
                var need = required.Contains(property.Name) ? context.Ansi.Bold(" required") : "";
                await output.WriteLineAsync($"  {property.Name}: {type}{need}{fallback}{about}");
            }
        }
        var defaults = new[] { ("runtime", t.Defaults.Runtime), ("model", t.Defaults.Model), ("isolation", t.Defaults.Isolation), ("priority", t.Defaults.Priority?.ToString(CultureInfo.InvariantCulture)),
                ("budget", t.Defaults.BudgetUsd is { } b ? "$" + b.ToString(CultureInfo.InvariantCulture) : null) }
            .Where(x => x.Item2 is not null).Select(x => $"{x.Item1} {x.Item2}").ToList();
        if (defaults.Count > 0)
            await output.WriteLineAsync($"Defaults: {string.Join(", ", defaults)}");
        await output.WriteLineAsync();
        await output.WriteLineAsync(t.Prompt);
    }

    private static string ReadText(FileInfo file, string what)
    {
        try
        {
            return File.ReadAllText(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the {what} {file.FullName}: {ex.Message}");
        }
    }
}
