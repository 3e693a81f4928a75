using System.CommandLine;

namespace Overseer.Cli.Client;

/// <summary>
/// <c>logs</c> and <c>export</c>: a session's stored events, rendered as text or as JSON lines
/// (one envelope per line, exactly as the API returns them, so the two round-trip); <c>blob</c>:
/// the whole text an event shows only a preview of.
/// </summary>
public static class LogCommands
{
    public static IEnumerable<Command> Create() => [Logs(), Export(), Blob()];

    private static Command Logs()
    {
        var id = new Argument<string>("id") { Description = "Session id or unique prefix" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until the session ends" };
        var json = new Option<bool>("--json") { Description = "One event envelope per line, as JSON" };
        var command = new Command("logs", "Print a session's event log.") { id, follow, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var asJson = parse.GetValue(json);
            if (parse.GetValue(follow))
            {
                return await new Attacher(context.Client, context.Out, context.Error)
                    .RunAsync(sessionId, new AttachOptions(ExitOnIdle: false, Prompt: false, Json: asJson, Plain: asJson), cancellationToken);
            }
            var renderer = new EventRenderer(context.Ansi);
            await foreach (var (e, line) in context.Client.EventsAsync(sessionId, 0, cancellationToken))
            {
                if (asJson)
                    await context.Out.WriteLineAsync(line);
                else
                    foreach (var rendered in renderer.Render(e))
                        await context.Out.WriteLineAsync(rendered);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export()
    {
        var id = new Argument<string>("id") { Description = "Session id or unique prefix" };
        var output = new Option<string>("--output", "-o") { Description = "Write to this file instead of stdout" };
        var command = new Command("export", "Export a session's events as JSON lines.") { id, output };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var path = parse.GetValue(output);
            // A file appears only once the export is complete; a failure leaves no partial file behind.
            var temp = path is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            var count = 0;
            try
            {
                await using (var writer = temp is null ? null : new StreamWriter(temp))
                {
                    var target = writer ?? context.Out;
                    await foreach (var (_, line) in context.Client.EventsAsync(sessionId, 0, cancellationToken))
                    {
                        await target.WriteLineAsync(line);
                        count++;
                    }
                }
                if (temp is not null)
                {
                    File.Move(temp, path!, overwrite: true);
                    await context.Error.WriteLineAsync($"Exported {count} event(s) to {path}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && temp is not null)
            {
                throw new CliException(ExitCodes.Error, $"cannot write {path}: {ex.Message}");
            }
            finally
            {
                if (temp is not null && File.Exists(temp))
                    File.Delete(temp);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Blob()
    {
        var id = new Argument<string>("id") { Description = "Session id or unique prefix" };
        var blobId = new Argument<string>("blobId") { Description = "The blobId of an event whose text is a preview (logs shows it)" };
        var command = new Command("blob", "Print the whole text an event shows only a preview of, exactly as stored.") { id, blobId };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var text = await context.Client.GetStringAsync(
                $"api/sessions/{Uri.EscapeDataString(sessionId)}/blobs/{Uri.EscapeDataString(parse.GetValue(blobId)!)}", cancellationToken);
            await context.Out.WriteAsync(text);
            return ExitCodes.Ok;
        });
        return command;
    }
}
