using System.CommandLine;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;

namespace Overseer.Cli.Client;

/// <summary>Landing a worktree session's work: <c>diff</c> to read it, <c>merge</c> to take it, <c>discard</c> to drop it.</summary>
public static class WorktreeCommands
{
    public static IEnumerable<Command> Create() => [Diff(), Merge(), Discard()];

    private static Argument<string> SessionId() => new("id") { Description = "Session id or unique prefix" };

    private static Task<SessionChangesDto> ChangesAsync(ClientContext context, string sessionId, CancellationToken cancellationToken) =>
        context.Client.GetAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/changes", OverseerJson.Default.SessionChangesDto, cancellationToken);

    private static Command Diff()
    {
        var id = SessionId();
        var stat = new Option<bool>("--stat") { Description = "Only the files with their +/- counts" };
        var json = new Option<bool>("--json") { Description = "Print the files and the diff as JSON" };
        var command = new Command("diff", "Show what a worktree session changed: its base..work diff, coloured on a terminal.") { id, stat, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var changes = await ChangesAsync(context, sessionId, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(changes, ClientContext.IndentedJson.SessionChangesDto));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(stat))
            {
                foreach (var file in changes.Files)
                    await context.Out.WriteLineAsync($"{Counts(file, context.Ansi),-14} {file.Status,-9} {file.Path}");
                await context.Out.WriteLineAsync(Summary(changes));
                return ExitCodes.Ok;
            }
            foreach (var line in changes.Diff.Split('\n'))
                await context.Out.WriteLineAsync(Colour(line, context.Ansi));
            if (changes.DiffTruncated)
                await context.Error.WriteLineAsync($"overseer: the diff is cut at {changes.DiffLimit} characters (Workspaces:MaxDiffChars); 'git diff {changes.BaseCommit[..Math.Min(8, changes.BaseCommit.Length)]} {changes.Branch}' in the project shows all of it");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Merge()
    {
        var id = SessionId();
        var command = new Command("merge", "Merge a worktree session's branch into its project (its uncommitted work is committed first).") { id };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            var merged = await context.Client.PostAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/merge", OverseerJson.Default.MergeResultDto, cancellationToken);
            await context.Out.WriteLineAsync($"merged {merged.Branch} into the project{(merged.FastForward ? " (fast-forward)" : "")}: {merged.Commit[..Math.Min(12, merged.Commit.Length)]}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Discard()
    {
        var id = SessionId();
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask first" };
        var command = new Command("discard", "Delete a worktree session's worktree and branch, and the work on them (asks first unless --yes).") { id, yes };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var sessionId = await context.ResolveAsync(IdResolver.Session, parse.GetValue(id)!, cancellationToken);
            if (!parse.GetValue(yes))
            {
                // What would be lost is said before the question, and read from the server so a wrong id fails here.
                var changes = await ChangesAsync(context, sessionId, cancellationToken);
                await context.Error.WriteAsync($"Discard {sessionId}: {Summary(changes)} on {changes.Branch}? The worktree and the branch are deleted for good. [y/N] ");
                var answer = await ConsoleInput.ReadLineAsync(cancellationToken);
                if (answer is null)
                    throw new CliException(ExitCodes.Usage, "no answer to confirm the discard (stdin is closed); pass --yes to discard without asking");
                if (answer.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    await context.Error.WriteLineAsync("Nothing was discarded.");
                    return ExitCodes.Error;
                }
            }
            var session = await context.Client.PostAsync($"api/sessions/{Uri.EscapeDataString(sessionId)}/discard", cancellationToken);
            await context.Out.WriteLineAsync($"discarded {session.Worktree?.Branch} and its worktree");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Summary(SessionChangesDto changes) =>
        $"{changes.FileCount} {(changes.FileCount == 1 ? "file" : "files")} changed, +{changes.Additions} -{changes.Deletions}";

    private static string Counts(ChangedFileDto file, Ansi ansi) =>
        file.Additions is null ? "binary" : $"{ansi.Green("+" + file.Additions)} {ansi.Red("-" + file.Deletions)}";

    /// <summary>A unified diff's line in the colours git uses: file headers bold, hunks cyan, additions green, deletions red.</summary>
    private static string Colour(string line, Ansi ansi) =>
        line.StartsWith("diff ", StringComparison.Ordinal) || line.StartsWith("index ", StringComparison.Ordinal) || line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? ansi.Bold(line)
        : line.StartsWith("@@", StringComparison.Ordinal) ? ansi.Cyan(line)
        : line.StartsWith('+') ? ansi.Green(line)
        : line.StartsWith('-') ? ansi.Red(line)
        : line;
}
