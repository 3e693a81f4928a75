using System.CommandLine;
using System.Text;
using System.Text.Json;
using Overseer.Contracts;
using Overseer.Contracts.Api;
using Overseer.Contracts.Events;

namespace Overseer.Cli.Client;

/// <summary><c>overseer search &lt;words&gt;</c>: sessions whose prompt or transcript has the words, best first.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var words = new Argument<string[]>("words") { Description = "Words to find (a trailing * matches a prefix, \"quotes\" a phrase)", Arity = ArgumentArity.OneOrMore };
        var limit = new Option<int?>("--limit", "-n") { Description = $"At most this many sessions (default {SearchLimits.DefaultResults}, most {SearchLimits.MaxResults})" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("search", "Search sessions' prompts and transcripts.") { words, limit, json };
        ClientContext.SetAction(command, async (parse, context, cancellationToken) =>
        {
            var q = string.Join(' ', parse.GetValue(words)!);
            var path = "api/search?q=" + Uri.EscapeDataString(q) + (parse.GetValue(limit) is { } n ? "&limit=" + n : "");
            var result = await context.Client.GetAsync(path, OverseerJson.Default.SearchResponse, cancellationToken);
            if (parse.GetValue(json))
            {
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, ClientContext.IndentedJson.SearchResponse));
                return ExitCodes.Ok;
            }
            if (result.Items.Count == 0)
            {
                await context.Error.WriteLineAsync($"No session matches {result.Query}.");
                return ExitCodes.Ok;
            }
            foreach (var hit in result.Items)
            {
                var session = hit.Session;
                await context.Out.WriteLineAsync($"{context.Ansi.Bold(Format.ShortId(session.Id))}  {session.Status.ToWire()}  {FirstLine(session.Title ?? session.Prompt, 60)}");
                await context.Out.WriteLineAsync($"  {context.Ansi.Dim(hit.Source + ":")} {Highlight(hit, context.Ansi)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The snippet on one line, matched words in bold on a terminal (and as they are elsewhere).</summary>
    private static string Highlight(SearchHitDto hit, Ansi ansi)
    {
        var text = new StringBuilder();
        var at = 0;
        foreach (var mark in hit.Highlights.Where(h => h.Start >= 0 && h.Start + h.Length <= hit.Snippet.Length).OrderBy(h => h.Start))
        {
            if (mark.Start < at)
                continue;
            text.Append(hit.Snippet, at, mark.Start - at).Append(ansi.Bold(ansi.Yellow(hit.Snippet.Substring(mark.Start, mark.Length))));
            at = mark.Start + mark.Length;
        }
        text.Append(hit.Snippet, at, hit.Snippet.Length - at);
        return text.ToString().ReplaceLineEndings(" ");
    }

    private static string FirstLine(string text, int max)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n')[0];
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
