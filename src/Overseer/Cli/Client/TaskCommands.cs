using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>overseer session new|edit|start|rm</c>: sessions as tasks (seed 003). A session can be filed
/// with a title, a description and a type, saved as a draft, edited (its prompt only while it is a
/// draft), started later, and deleted.
/// </summary>
public static class TaskCommands
{
    private const string ClearType = "none";

    public static Command Create() => new("session", "Sessions as tasks: create one (or a draft), edit it, start a draft, delete one.")
    {
        New(),
        Edit(),
        Start(),
        Remove(),
    };

    private static Argument<string> SessionId() => new("id") { Description = "Session id or unique prefix" };

    private static Command New()
    {
        var prompt = new Argument<string>("prompt") { Description = "What the agent should do" };
        var draft = new Option<bool>("--draft") { Description = "Save it without starting it (start it later with: overseer session start <id>)" };
        var title = new Option<string>("--title") { Description = $"A title of at most {SessionTasks.MaxTitleChars} characters. Default: the prompt's first line" };
        var type = new Option<string>("--type") { Description = "What kind of work it is: " + string.Join(", ", SessionTasks.Types) };
        type.AcceptOnlyFromAmong([.. SessionTasks.Types]);
        var description = new Option<string>("--description") { Description = $"Markdown notes for people (at most {SessionTasks.MaxDescriptionChars:#,0} characters)" };
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory (added as a project if the server does not know it)" };
        var runtime = new Option<string>("--runtime") { Description = "claude-code, anthropic, openai or scripted. Default: the server's" };
        var model = new Option<string>("--model") { Description = "The model to use" };
        var priority = new Option<int?>("--priority") { Description = "-100 to 100; higher starts first when slots are busy. Default: 0" };
        var worktree = new Option<bool>("--worktree") { Description = "Work in a git worktree of its own (branch overseer/<id>)" };
        var script = new Option<FileInfo>("--script") { Description = "A JSON script for the scripted runtime (implies --runtime scripted)" };
        var command = new Command("new", "Create a session with a title, type and description; --draft saves it without starting it. Prints its id.")
        {
            prompt, draft, title, type, description, project, runtime, model, priority, worktree, script,
        };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            JsonElement? scriptJson = parse.GetValue(script) is { } file ? RunCommand.ReadScript(file) : null;
            var projectId = await ProjectsCommand.FindOrAddAsync(context, parse.GetValue(project), cancellationToken);
            var request = new CreateSessionRequest(
                projectId,
                parse.GetValue(prompt),
                parse.GetValue(runtime) ?? (scriptJson is null ? null : "scripted"),
                parse.GetValue(model),
                parse.GetValue(priority),
                scriptJson,
                parse.GetValue(worktree) ? "worktree" : null,
                Title: parse.GetValue(title),
                Description: parse.GetValue(description),
                Type: parse.GetValue(type),
                Draft: parse.GetValue(draft) ? true : null);
            var session = await context.Client.PostAsync("api/sessions", request, OverseerJson.Default.CreateSessionRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync(session.Id);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Edit()
    {
        var id = SessionId();
        var title = new Option<string>("--title") { Description = "A new title" };
        var type = new Option<string>("--type") { Description = $"A new type ({string.Join(", ", SessionTasks.Types)}), or {ClearType} to clear it" };
        type.AcceptOnlyFromAmong([.. SessionTasks.Types, ClearType]);
        var description = new Option<string>("--description") { Description = "New Markdown notes (\"\" clears them)" };
        var priority = new Option<int?>("--priority") { Description = "A new priority, -100 to 100 (moves a queued session in the queue)" };
        var prompt = new Option<string>("--prompt") { Description = "A new prompt: only while the session is a draft" };
        var budget = new Option<decimal?>("--budget") { Description = "The session's budget in US dollars: it pauses once that is spent" };
        var command = new Command("edit", "Change a session's title, description, type, priority or budget (and its prompt while it is a draft).")
        {
            id, title, type, description, priority, prompt, budget,
        };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var request = new UpdateSessionRequest(
                parse.GetValue(title),
                parse.GetValue(description),
                parse.GetValue(type) is { } t ? (t == ClearType ? "" : t) : null,
                parse.GetValue(priority),
                parse.GetValue(prompt),
                parse.GetValue(budget));
            if (request is { Title: null, Description: null, Type: null, Priority: null, Prompt: null, BudgetUsd: null })
                throw new CliException(ExitCodes.Usage, "nothing to change: give --title, --description, --type, --priority, --budget or --prompt");
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var session = await context.Client.SendJsonAsync(HttpMethod.Patch, $"api/sessions/{Uri.EscapeDataString(sessionId)}", request,
                OverseerJson.Default.UpdateSessionRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync($"{session.Id} {session.Status.ToWire()} {Describe(session)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Start()
    {
        var id = SessionId();
        var attach = new Option<bool>("--attach", "-a") { Description = "Follow the session until its turn ends (attach --exit-on-idle)" };
        var command = new Command("start", "Start a draft: it is queued and runs as a slot frees.") { id, attach };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var session = await context.Client.PostAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/start", cancellationToken);
            await context.Out.WriteLineAsync($"{session.Id} {session.Status.ToWire()}");
            if (!parse.GetValue(attach))
                return ExitCodes.Ok;
            return await new Attacher(context.Client, context.Out, context.Error).RunAsync(session.Id, new AttachOptions(ExitOnIdle: true), cancellationToken);
        });
        return command;
    }

    private static Command Remove()
    {
        var id = SessionId();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask first" };
        var command = new Command("rm", "Delete a session (asks first unless --yes): a running one is cancelled; it leaves every list, its events stay in the log.") { id, yes };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var path = $"api/sessions/{Uri.EscapeDataString(sessionId)}";
            if (!parse.GetValue(yes))
            {
                // What is deleted is said before the question, read from the server so a wrong id fails here.
                var session = await context.Client.GetAsync(path, OverseerJson.Default.SessionDto, cancellationToken);
                var cancels = session.Status.IsTerminal() || session.Status is SessionStatus.Draft or SessionStatus.Failed ? "" : " It is cancelled first.";
                await context.Error.WriteAsync($"Delete {session.Id} \"{EventRenderer.OneLine(session.Title ?? "", 80)}\" ({session.Status.ToWire()})?{cancels} It leaves every list; its events stay in the log. [y/N] ");
                var answer = await ConsoleInput.ReadLineAsync(cancellationToken);
                if (answer is null)
                    throw new CliException(ExitCodes.Usage, "no answer to confirm the deletion (stdin is closed); pass --yes to delete without asking");
                if (answer.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    await context.Error.WriteLineAsync("Nothing was deleted.");
                    return ExitCodes.Error;
                }
            }
            await context.Client.DeleteAsync(path, cancellationToken);
            await context.Out.WriteLineAsync($"deleted {sessionId}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>"[feature] Add the export button (priority 5)".</summary>
    internal static string Describe(SessionDto session) =>
        (session.Type is { } type ? $"[{type}] " : "") + $"\"{EventRenderer.OneLine(session.Title ?? "", 80)}\""
        + (session.Priority != 0 ? " (priority " + session.Priority.ToString(CultureInfo.InvariantCulture) + ")" : "");
}
