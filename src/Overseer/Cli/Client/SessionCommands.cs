using System.CommandLine;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary>Commands that act on a session: <c>attach</c>, <c>say</c>, <c>interrupt</c>, <c>pause</c>, <c>resume</c>, <c>cancel</c>, <c>close</c>, <c>hibernate</c>.</summary>
public static class SessionCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Attach();
        yield return Say();
        yield return Simple("interrupt", "Stop the agent's current turn (the session goes idle and can take a follow-up).");
        yield return Simple("pause", "Pause a running or waiting session.");
        yield return Simple("resume", "Resume a paused session.");
        yield return Simple("cancel", "Cancel a session for good.");
        yield return Simple("close", "Mark an idle or failed session completed.");
        yield return Simple("hibernate", "Stop an idle session's agent process now (the next message resumes it).");
    }

    private static Argument<string> SessionId() => new("id") { Description = "Session id or unique prefix" };

    private static Command Attach()
    {
        var id = SessionId();
        var exitOnIdle = new Option<bool>("--exit-on-idle") { Description = "Also exit when the agent's turn is done (the session is idle)" };
        var last = new Option<int?>("--last", "-n") { Description = "Show only the last N events of the history before following" };
        var command = new Command("attach", "Follow a session live: its history, then new events; answer what it waits on.") { id, exitOnIdle, last };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            if (parse.GetValue(last) is < 0)
                throw new CliException(ExitCodes.Usage, "--last must be 0 or more");
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            return await new Attacher(context.Client, context.Out, context.Error)
                .RunAsync(sessionId, new AttachOptions(parse.GetValue(exitOnIdle), parse.GetValue(last)), cancellationToken);
        });
        return command;
    }

    private static Command Say()
    {
        var id = SessionId();
        var text = new Argument<string>("text") { Description = "The message" };
        var command = new Command("say", "Send a follow-up message (resumes an idle or interrupted session).") { id, text };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var session = await context.Client.PostAsync($"api/sessions/{sessionId}/messages", new SendMessageRequest(parse.GetValue(text)),
                OverseerJson.Default.SendMessageRequest, OverseerJson.Default.SessionDto, cancellationToken);
            await context.Out.WriteLineAsync($"{session.Id} {session.Status.ToWire()}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Simple(string name, string description)
    {
        var id = SessionId();
        var command = new Command(name, description) { id };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var session = await context.Client.PostAsync($"api/sessions/{sessionId}/{name}", cancellationToken);
            await context.Out.WriteLineAsync($"{session.Id} {session.Status.ToWire()}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
