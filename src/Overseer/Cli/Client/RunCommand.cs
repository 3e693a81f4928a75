using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary><c>overseer run "&lt;prompt&gt;"</c>: starts a session in a project (the current directory by default).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var prompt = new Argument<string>("prompt") { Description = "What the agent should do" };
        var project = new Option<string>("--project", "-p") { Description = "Project directory, id or name. Default: the current directory (added as a project if the server does not know it)" };
        var runtime = new Option<string>("--runtime") { Description = "A runtime the server offers (claude-code, anthropic, openai, router, scripted: 'overseer runtimes' lists what it has). Default: the server's" };
        var model = new Option<string>("--model") { Description = "The model to use" };
        var worktree = new Option<bool>("--worktree") { Description = "Work in a git worktree of its own (branch overseer/<id>)" };
        var attach = new Option<bool>("--attach", "-a") { Description = "Follow the session until its turn ends (attach --exit-on-idle)" };
        var script = new Option<FileInfo>("--script") { Description = "A JSON script for the scripted runtime (implies --runtime scripted)" };
        var budget = new Option<decimal?>("--budget") { Description = "The session's budget in US dollars: it pauses once that is spent" };
        var command = new Command("run", "Start an agent session.") { prompt, project, runtime, model, worktree, attach, script, budget };
        var retry = new RetryOptions();
        retry.AddTo(command);
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            JsonElement? scriptJson = parse.GetValue(script) is { } file ? ReadScript(file) : null;
            var projectId = await ProjectsCommand.FindOrAddAsync(context, parse.GetValue(project), cancellationToken);
            var request = new CreateSessionRequest(
                projectId,
                parse.GetValue(prompt),
                parse.GetValue(runtime) ?? (scriptJson is null ? null : "scripted"),
                parse.GetValue(model),
                Priority: null,
                scriptJson,
                parse.GetValue(worktree) ? "worktree" : null,
                retry.From(parse),
                BudgetUsd: parse.GetValue(budget));
            var session = await context.Client.PostAsync("api/sessions", request, OverseerJson.Default.CreateSessionRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync(session.Id);
            if (!parse.GetValue(attach))
                return ExitCodes.Ok;
            return await new Attacher(context.Client, context.Out, context.Error).RunAsync(session.Id, new AttachOptions(ExitOnIdle: true), cancellationToken);
        });
        return command;
    }

    internal static JsonElement ReadScript(FileInfo file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"cannot read the script {file.FullName}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Usage, $"the script {file.FullName} is not JSON: {ex.Message}");
        }
    }
}
